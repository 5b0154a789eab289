namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// The 31 frame-level LLD columns (<see cref="LldExtractor.FrameColumns"/>): MFCC (18), formants (8), energy and log-energy,
/// F0 and voicing probability, ZCR — each from its own kernel, assembled per row as <see cref="LldExtractor.ComputeFrames(ReadOnlySpan{float})"/>
/// does. Needs the first pass of its MFCC kernel (the clip's log-mel maximum).
/// </summary>
internal sealed class LldFrameKernel : FrameKernel
{
    private readonly MelKernel _mfcc;
    private readonly FormantKernel _formants;
    private readonly EnergyZcrKernel _energy, _zcr;
    private readonly PitchKernel _pitch;
    private readonly int _hop, _sampleRate;

    public LldFrameKernel(LldOptions options)
    {
        _mfcc = MelKernel.Mfcc(new Mfcc(options.Mfcc));
        _formants = new FormantKernel(new FormantTracker(options.EffectiveFormants));
        _energy = new EnergyZcrKernel(options.Frame, zcr: false);
        _zcr = new EnergyZcrKernel(options.Frame, zcr: true);
        _pitch = new PitchKernel(new PitchTracker(options.EffectivePitch));
        _hop = options.Mfcc.Mel.HopLength;
        _sampleRate = options.SampleRate;
    }

    private IEnumerable<FrameKernel> Parts => [_mfcc, _formants, _energy, _pitch, _zcr];

    public override IReadOnlyList<string> Names => LldExtractor.FrameColumns;

    public override long FrameCount(long samples) => samples == 0 ? 0 : 1 + samples / _hop;

    public override (long Lo, long Hi) Support(long a, long b)
        => (Parts.Min(k => k.Support(a, b).Lo), Parts.Max(k => k.Support(a, b).Hi));

    public override double Time(long frame) => frame * (double)_hop / _sampleRate;

    public override bool NeedsFirstPass => _mfcc.NeedsFirstPass;

    public override void Observe(SampleWindow window, long a, int count) => _mfcc.Observe(window, a, count);

    public override void Compute(SampleWindow window, long a, int count, float[] dest)
    {
        int c = Columns, offset = 0;
        foreach (var part in Parts)
        {
            var values = new float[count * part.Columns];
            part.Compute(window, a, count, values);
            for (int i = 0; i < count; i++) values.AsSpan(i * part.Columns, part.Columns).CopyTo(dest.AsSpan(i * c + offset));
            offset += part.Columns;
        }
    }
}
