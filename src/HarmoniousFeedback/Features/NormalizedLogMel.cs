using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// The HFN's input spectrogram: the clip-level top_db-clamped log-mel D (<see cref="LogMelSpectrogram"/>) mapped to
/// [0, 1] by X = (D − max D)/top_db + 1, so the loudest bin of the clip is 1 and everything top_db or more below it is 0.
/// This removes the recording's overall gain (a nuisance: renderers and microphones differ) and keeps every level
/// difference within the clip. Output [frames × n_mels], frame i centred at i·hop/sr.
/// </summary>
public sealed class NormalizedLogMel
{
    private readonly LogMelSpectrogram _logMel;

    public NormalizedLogMel(LogMelOptions options)
    {
        options.Validate();
        if (options.TopDb is not > 0)
            throw new FeatureParameterException(nameof(NormalizedLogMel), ["TopDb must be > 0: the normalised log-mel is (dB − max)/TopDb + 1"]);
        Options = options;
        _logMel = new LogMelSpectrogram(options);
    }

    public LogMelOptions Options { get; }

    /// <summary>The dB log-mel of a clip (the input of <see cref="Normalize"/>).</summary>
    public FeatureMatrix ComputeDb(AudioClip clip) => _logMel.Compute(clip);

    /// <summary>The normalised log-mel of a clip at <see cref="MelSpectrogramOptions.SampleRate"/>.</summary>
    public FeatureMatrix Compute(AudioClip clip) => Normalize(ComputeDb(clip), Options.TopDb!.Value);

    /// <summary>X = (D − max D)/topDb + 1, clamped to [0, 1] (a new matrix; <paramref name="db"/> is unchanged).</summary>
    public static FeatureMatrix Normalize(FeatureMatrix db, double topDb)
    {
        float max = float.NegativeInfinity;
        foreach (var v in db.Data) max = Math.Max(max, v);
        var x = new float[db.Data.Length];
        float inv = (float)(1.0 / topDb);
        for (int i = 0; i < x.Length; i++) x[i] = Math.Clamp((db.Data[i] - max) * inv + 1f, 0f, 1f);
        return new FeatureMatrix(x, db.Rows, db.Columns, db.FeatureNames, db.FrameTimes, db.Options);
    }
}
