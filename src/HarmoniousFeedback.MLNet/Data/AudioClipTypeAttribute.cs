using HarmoniousFeedback.Audio;
using Microsoft.ML.Data;

namespace HarmoniousFeedback.MLNet.Data;

/// <summary>
/// Marks an <see cref="AudioClip"/> property of a class ML.NET maps to a row (e.g. a <c>PredictionEngine</c> input) as
/// an <see cref="AudioClipDataViewType"/> column. ML.NET calls <see cref="Register"/> when it builds the schema.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class AudioClipTypeAttribute : DataViewTypeAttribute
{
    /// <summary>Registers (<see cref="AudioClipDataViewType"/>, <see cref="AudioClip"/>) with ML.NET's type manager (idempotent).</summary>
    public override void Register() => DataViewTypeManager.Register(AudioClipDataViewType.Instance, typeof(AudioClip), this);

    public override bool Equals(DataViewTypeAttribute? other) => other is AudioClipTypeAttribute;

    public override int GetHashCode() => typeof(AudioClipTypeAttribute).GetHashCode();
}
