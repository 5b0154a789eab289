using HarmoniousFeedback.Audio;
using Microsoft.ML.Data;

namespace HarmoniousFeedback.MLNet.Data;

/// <summary>
/// The ML.NET column type of an <see cref="AudioClip"/> (raw type <see cref="AudioClip"/>), registered with
/// ML.NET's <see cref="DataViewTypeManager"/> through <see cref="AudioClipTypeAttribute"/>. Audio has no built-in
/// ML.NET type; this one lets decoded audio flow between the bridge's transforms (<c>HfLoadAudio</c> →
/// <c>HfResample</c> → <c>HfLogMel</c>…) without copying samples into vectors.
/// </summary>
/// <remarks>
/// ML.NET cannot save values of a registered custom type: a model's input schema silently leaves such columns out
/// (ML.NET only logs it), which is why <c>mlContext.Model.HfSave</c> refuses an input schema with audio columns
/// (<see cref="MlNetModelSaveException"/>). Audio inside a pipeline is fine: only the input schema is saved.
/// </remarks>
public sealed class AudioClipDataViewType : StructuredDataViewType
{
    private AudioClipDataViewType() : base(typeof(AudioClip)) { }

    /// <summary>The single instance (the type has no parameters).</summary>
    public static AudioClipDataViewType Instance { get; } = new();

    public override bool Equals(DataViewType? other) => other is AudioClipDataViewType;

    public override int GetHashCode() => typeof(AudioClipDataViewType).GetHashCode();

    public override string ToString() => "Audio";
}
