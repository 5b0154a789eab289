using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary>The feature extractors the pipeline exposes as transforms (each documented on its Features class).</summary>
public enum AudioFeatureKind
{
    /// <summary>Power spectrogram [frames × n_fft/2+1] (<see cref="Spectrogram"/>).</summary>
    Spectrogram,
    /// <summary>Mel power spectrogram [frames × n_mels] (<see cref="MelSpectrogram"/>).</summary>
    MelSpectrogram,
    /// <summary>Log-mel in dB with clip-level top_db [frames × n_mels] (<see cref="LogMelSpectrogram"/>).</summary>
    LogMel,
    /// <summary>MFCC, orthonormal DCT-II of the log-mel [frames × n_mfcc] (<see cref="Mfcc"/>).</summary>
    Mfcc,
    /// <summary>The piano-emotion method's 50-dim LLD segment descriptors [segments × 50] (<see cref="LldExtractor.ComputeSegments(AudioClip)"/>).</summary>
    LldSegments,
    /// <summary>Frame-level LLD [frames × 31] (<see cref="LldExtractor.ComputeFrames(AudioClip)"/>).</summary>
    LldFrames,
}
