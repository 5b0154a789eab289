using HarmoniousFeedback.Features;
using HarmoniousFeedback.MLNet.Data;
using HarmoniousFeedback.Pipeline.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HarmoniousFeedback.MLNet.Transforms;

/// <summary>
/// The toolkit's audio loading and feature extractors on ML.NET's <c>mlContext.Transforms</c> catalog. Each returns an
/// <see cref="HfMappingEstimator"/> that composes with ML.NET's own transforms and trainers in one
/// <c>EstimatorChain</c> and saves/loads with <c>mlContext.Model</c> (register this assembly in the loading process
/// with <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(HfTransformsCatalogExtensions).Assembly)</c>, or use
/// <c>mlContext.Model.HfLoad</c>, which does it). The numbers are the toolkit's: each step calls the same extractor
/// the toolkit pipeline does (<see cref="AudioFeatureTransformer"/>), documented on its Features class with its
/// formula and torchaudio reference. Sequences ([T × F]) are flattened row-major into a variable-size
/// <c>Vector&lt;Single&gt;</c>; the estimator's <see cref="HfMappingEstimator.FeatureSize"/> says F.
/// Put <c>AppendCacheCheckpoint(mlContext)</c> after the feature steps when a trainer passes over the data several
/// times, or every pass decodes the audio and extracts the features again.
/// </summary>
/// <remarks>
/// Score (MIDI) features belong here too when they land: one contract + factory in HfMappings.cs and one method
/// below, following <see cref="HfMfcc"/> (see docs/mlnet.md, "Adding a step").
/// </remarks>
public static class HfTransformsCatalogExtensions
{
    private static readonly VectorDataViewType VariableFloatVector = new(NumberDataViewType.Single);

    /// <summary>
    /// Path (Text) → audio (<see cref="AudioClipDataViewType"/>), decoded when a later step reads it: WAV natively,
    /// other formats through ffmpeg (<see cref="Audio.AudioFile.Read"/>). The clip keeps the file's own sample rate.
    /// </summary>
    /// <remarks><c>mono</c>: average the channels into one (default); false keeps every channel.</remarks>
    public static HfMappingEstimator HfLoadAudio(this TransformsCatalog catalog, string outputColumnName = "Audio", string inputColumnName = "Path", bool mono = true)
        => new(catalog, nameof(HfLoadAudio), outputColumnName, inputColumnName, HfMappingEstimator.InputKind.Text,
            HfSpecs.Serialize(new LoadAudioSpec(mono)), HfContracts.LoadAudio,
            c => c.CustomMapping(new HfLoadAudioFactory().GetMapping(), HfContracts.LoadAudio), AudioClipDataViewType.Instance, null);

    /// <summary>Audio → audio at <paramref name="newFreq"/> Hz (band-limited windowed-sinc, <see cref="Audio.Resampler"/>); never implicit.</summary>
    public static HfMappingEstimator HfResample(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, int newFreq)
    {
        if (newFreq <= 0) throw new FeatureParameterException(nameof(HfResample), [$"newFreq = {newFreq} must be > 0"]);
        return new(catalog, nameof(HfResample), outputColumnName, inputColumnName, HfMappingEstimator.InputKind.Audio,
            HfSpecs.Serialize(new ResampleSpec(newFreq)), HfContracts.Resample,
            c => c.CustomMapping(new HfResampleFactory().GetMapping(), HfContracts.Resample), AudioClipDataViewType.Instance, null);
    }

    /// <summary>Power spectrogram, [T × NFft/2+1] flattened (<see cref="Spectrogram"/>, torchaudio <c>Spectrogram</c>).</summary>
    public static HfMappingEstimator HfSpectrogram(this TransformsCatalog catalog, string outputColumnName, string inputColumnName = "Audio", SpectrogramOptions? options = null)
    {
        var o = options ?? new SpectrogramOptions();
        o.Validate();
        return Features(catalog, nameof(HfSpectrogram), outputColumnName, inputColumnName, AudioFeatureKind.Spectrogram, o, o.NFft / 2 + 1);
    }

    /// <summary>Mel power spectrogram, [T × NMels] flattened (<see cref="MelSpectrogram"/>, torchaudio <c>MelSpectrogram</c>).</summary>
    public static HfMappingEstimator HfMelSpectrogram(this TransformsCatalog catalog, string outputColumnName, string inputColumnName = "Audio", MelSpectrogramOptions? options = null)
    {
        var o = options ?? new MelSpectrogramOptions();
        o.Validate();
        return Features(catalog, nameof(HfMelSpectrogram), outputColumnName, inputColumnName, AudioFeatureKind.MelSpectrogram, o, o.NMels);
    }

    /// <summary>Log-mel in dB with clip-level top_db, [T × NMels] flattened (<see cref="LogMelSpectrogram"/>).</summary>
    public static HfMappingEstimator HfLogMel(this TransformsCatalog catalog, string outputColumnName, string inputColumnName = "Audio", LogMelOptions? options = null)
    {
        var o = options ?? new LogMelOptions();
        o.Validate();
        return Features(catalog, nameof(HfLogMel), outputColumnName, inputColumnName, AudioFeatureKind.LogMel, o, o.Mel.NMels);
    }

    /// <summary>MFCC (orthonormal DCT-II of the log-mel), [T × NMfcc] flattened (<see cref="Mfcc"/>, torchaudio <c>MFCC</c>).</summary>
    public static HfMappingEstimator HfMfcc(this TransformsCatalog catalog, string outputColumnName, string inputColumnName = "Audio", MfccOptions? options = null)
    {
        var o = options ?? new MfccOptions();
        o.Validate();
        return Features(catalog, nameof(HfMfcc), outputColumnName, inputColumnName, AudioFeatureKind.Mfcc, o, o.NMfcc);
    }

    /// <summary>The piano-emotion method's 50-dim LLD segment descriptors, [segments × 50] flattened (<see cref="LldExtractor.ComputeSegments(Audio.AudioClip)"/>).</summary>
    public static HfMappingEstimator HfLldSegments(this TransformsCatalog catalog, string outputColumnName = "Lld", string inputColumnName = "Audio", LldOptions? options = null)
    {
        var o = options ?? new LldOptions();
        o.Validate();
        return Features(catalog, nameof(HfLldSegments), outputColumnName, inputColumnName, AudioFeatureKind.LldSegments, o, LldExtractor.SegmentColumns.Count);
    }

    /// <summary>Frame-level LLD, [T × 31] flattened (<see cref="LldExtractor.ComputeFrames(Audio.AudioClip)"/>).</summary>
    public static HfMappingEstimator HfLldFrames(this TransformsCatalog catalog, string outputColumnName, string inputColumnName = "Audio", LldOptions? options = null)
    {
        var o = options ?? new LldOptions();
        o.Validate();
        return Features(catalog, nameof(HfLldFrames), outputColumnName, inputColumnName, AudioFeatureKind.LldFrames, o, LldExtractor.FrameColumns.Count);
    }

    /// <summary>
    /// The clip-level vector the classical baselines use: the 50 LLD columns of every segment pooled over the clip,
    /// mean then population standard deviation (ddof 0) → <c>Vector&lt;Single, 100&gt;</c>, identical to the toolkit's
    /// <c>LldSegments</c> + <c>PoolSequence(MeanStd)</c>. A known-size vector, so it feeds <c>NormalizeMinMax</c>,
    /// <c>Concatenate</c> and ML.NET's trainers directly. A clip with no segment gives zeros.
    /// </summary>
    public static HfMappingEstimator HfPooledLld(this TransformsCatalog catalog, string outputColumnName = "PooledLld", string inputColumnName = "Audio", LldOptions? options = null)
    {
        var o = options ?? new LldOptions();
        o.Validate();
        return new(catalog, nameof(HfPooledLld), outputColumnName, inputColumnName, HfMappingEstimator.InputKind.Audio,
            HfSpecs.Serialize(AudioFeatureSpec.Create(AudioFeatureKind.LldSegments, o)), HfContracts.PooledLld,
            c => c.CustomMapping(new HfPooledLldFactory().GetMapping(), HfContracts.PooledLld),
            new VectorDataViewType(NumberDataViewType.Single, HfPooledLldOutput.Size), null);
    }

    private static HfMappingEstimator Features(TransformsCatalog catalog, string stage, string output, string input, AudioFeatureKind kind, object options, int featureSize)
        => new(catalog, stage, output, input, HfMappingEstimator.InputKind.Audio,
            HfSpecs.Serialize(AudioFeatureSpec.Create(kind, options)), HfContracts.AudioFeatures,
            c => c.CustomMapping(new HfAudioFeaturesFactory().GetMapping(), HfContracts.AudioFeatures), VariableFloatVector, featureSize);
}
