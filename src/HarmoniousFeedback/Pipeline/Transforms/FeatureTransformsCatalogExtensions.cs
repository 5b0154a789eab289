using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary>Catalog methods for audio loading, resampling, feature extraction and normalisation.</summary>
public static class FeatureTransformsCatalogExtensions
{
    public static TrivialEstimator<LoadAudioTransformer> LoadAudio(this TransformsCatalog c, string outputColumn = "Audio", string pathColumn = "Path", bool mono = true)
        => new(new LoadAudioTransformer(outputColumn, pathColumn, mono));

    public static TrivialEstimator<ResampleTransformer> Resample(this TransformsCatalog c, string outputColumn, string inputColumn, int newFreq)
        => new(new ResampleTransformer(outputColumn, inputColumn, newFreq));

    public static TrivialEstimator<AudioFeatureTransformer> Spectrogram(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", SpectrogramOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.Spectrogram, options));

    public static TrivialEstimator<AudioFeatureTransformer> MelSpectrogram(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", MelSpectrogramOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.MelSpectrogram, options));

    public static TrivialEstimator<AudioFeatureTransformer> LogMel(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", LogMelOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.LogMel, options));

    public static TrivialEstimator<AudioFeatureTransformer> Mfcc(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", MfccOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.Mfcc, options));

    /// <summary>The 50-dim LLD segment descriptors (3 s segments by default) of the piano-emotion method.</summary>
    public static TrivialEstimator<AudioFeatureTransformer> LldSegments(this TransformsCatalog c, string outputColumn = "Lld", string inputColumn = "Audio", LldOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.LldSegments, options));

    public static TrivialEstimator<AudioFeatureTransformer> LldFrames(this TransformsCatalog c, string outputColumn, string inputColumn = "Audio", LldOptions? options = null)
        => new(new AudioFeatureTransformer(outputColumn, inputColumn, AudioFeatureKind.LldFrames, options));

    /// <summary>Min–max normalisation fitted on the training data only.</summary>
    public static MinMaxNormalizeEstimator NormalizeMinMax(this TransformsCatalog c, string outputColumn, string? inputColumn = null, bool clip = true)
        => new(outputColumn, inputColumn ?? outputColumn, clip);
}
