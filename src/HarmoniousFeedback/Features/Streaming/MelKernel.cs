namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// Mel, log-mel and MFCC frames. Mel: <see cref="MelSpectrogram.ProcessFrame"/>. Log-mel: the block's mel powers through
/// <see cref="PowerToDb.Convert"/>, then <see cref="PowerToDb.Clamp"/> at the clip maximum minus <c>TopDb</c> — the same
/// element-wise operations <see cref="LogMelSpectrogram"/>/<see cref="Mfcc"/> apply to the whole clip's array; the clip maximum
/// (the largest dB value of any frame and band) comes from a first pass over the signal when <c>TopDb</c> is set. MFCC: the
/// clamped log-mel of each frame through <see cref="Dsp.Dct.Apply"/>, as <see cref="Mfcc.FromLogMel"/>.
/// </summary>
internal sealed class MelKernel : CentredFrameKernel
{
    private readonly MelSpectrogram _mel;
    private readonly double? _amin, _topDb;
    private readonly Dsp.Dct? _dct;
    private float _clipMax = float.NegativeInfinity;

    private MelKernel(MelSpectrogram mel, double? amin, double? topDb, Dsp.Dct? dct, IReadOnlyList<string> names)
        : base(mel.Options.SampleRate, mel.Options.NFft, mel.Options.HopLength, mel.Options.Center, mel.Options.PadMode)
    {
        _mel = mel; _amin = amin; _topDb = topDb; _dct = dct; Names = names;
    }

    public static MelKernel Power(MelSpectrogram mel) => new(mel, null, null, null, SignalGuard.Names("mel_", mel.Options.NMels));

    public static MelKernel LogMel(LogMelSpectrogram logMel)
        => new(logMel.Mel, logMel.Options.Amin, logMel.Options.TopDb, null, SignalGuard.Names("logmel_", logMel.Options.Mel.NMels));

    public static MelKernel Mfcc(Mfcc mfcc)
        => new(mfcc.Mel, mfcc.Options.Amin, mfcc.Options.TopDb, mfcc.Dct, SignalGuard.Names("mfcc_", mfcc.Options.NMfcc));

    public override IReadOnlyList<string> Names { get; }

    public override bool NeedsFirstPass => _topDb is not null;

    /// <summary>The largest dB value seen by <see cref="Observe"/> (the clip's, after the first pass).</summary>
    public float ClipMaxDb => _clipMax;

    private float[] MelRows(SampleWindow window, long a, int count)
    {
        var frames = Frames(window, a, count);
        int nm = _mel.Options.NMels, hop = Hop, n = NFft;
        var rows = new float[count * nm];
        FeatureParallelism.For(count, (s, e) => { for (int i = s; i < e; i++) _mel.ProcessFrame(frames.AsSpan(i * hop, n), rows.AsSpan(i * nm, nm)); });
        return rows;
    }

    public override void Observe(SampleWindow window, long a, int count)
    {
        var rows = MelRows(window, a, count);
        _clipMax = Math.Max(_clipMax, PowerToDb.Convert(rows, _amin!.Value));
    }

    public override void Compute(SampleWindow window, long a, int count, float[] dest)
    {
        var rows = MelRows(window, a, count);
        if (_amin is not double amin) { rows.CopyTo(dest, 0); return; }
        PowerToDb.Convert(rows, amin);
        if (_topDb is double t) PowerToDb.Clamp(rows, _clipMax, t);
        if (_dct is null) { rows.CopyTo(dest, 0); return; }
        int nm = _mel.Options.NMels, nc = Columns;
        FeatureParallelism.For(count, (s, e) => { for (int i = s; i < e; i++) _dct.Apply(rows.AsSpan(i * nm, nm), dest.AsSpan(i * nc, nc)); });
    }
}
