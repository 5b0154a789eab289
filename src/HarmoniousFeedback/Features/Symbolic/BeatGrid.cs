using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// A beat grid: a monotone map from time (s) to beat position (beats, beat 0 at the grid's origin), piecewise linear.
/// <list type="bullet">
/// <item><b>Tempo map</b> (<see cref="FromTempoMap"/>): beats are quarter notes; the position of time t after the tempo change
/// (tick kᵢ, time tᵢ, µsᵢ per quarter) is <c>kᵢ/TPQ + (t − tᵢ)·10⁶/µsᵢ</c>; 120 bpm before the first change (the reader's rule).</item>
/// <item><b>Estimated</b> (<see cref="Estimate"/>), for performance MIDI whose tempo map says nothing (transcriptions carry a
/// default 120 bpm, 4/4 map): an onset envelope e (impulses of weight Σ velocity/127 per onset cluster at
/// <see cref="MetricGridOptions.EnvelopeRate"/>, smoothed by a Gaussian) gives the beat period P by
/// <see cref="TempoEstimator"/>; the phase φ ∈ [0, P) (steps of one envelope frame) maximises
/// <c>Σᵢ wᵢ·exp(−½(dᵢ/(0.05·P))²)</c>, dᵢ the distance of onset i to the nearest beat φ + kP; then, twice, the onsets
/// within <see cref="MetricGridOptions.MatchToleranceBeats"/> of a beat k are fitted by weighted least squares
/// <c>t = φ + P·k</c> (kept when P changes by less than 10 %). An isochronous sequence thus gets its period exactly.
/// One tempo for the clip: local tempo is reported separately (<see cref="SymbolicFeatureExtractor"/>), not bent into the grid.</item>
/// <item><b>None</b>: fewer than <see cref="MetricGridOptions.MinOnsets"/> onset clusters or no periodicity.</item>
/// </list>
/// <see cref="Fit"/> is the fraction of onset clusters within <see cref="MetricGridOptions.GridFitToleranceBeats"/> of a
/// sixteenth or eighth-triplet position (beat fractions 0, ¼, ⅓, ½, ⅔, ¾).
/// </summary>
public sealed class BeatGrid
{
    private readonly double[] _starts, _startBeats, _secondsPerBeat;

    public BeatGridKind Kind { get; }

    /// <summary>Tempo (bpm) over the whole clip: 60/P for an estimate, beats per minute between the first and last onset for a tempo map, 0 for none.</summary>
    public double TempoBpm { get; }

    /// <summary>Pulse clarity of the clip's onset envelope (<see cref="TempoEstimate.PulseClarity"/>).</summary>
    public double PulseClarity { get; }

    /// <summary>Fraction of onset clusters on a sixteenth/eighth-triplet position (see the type's remarks); 0 for none.</summary>
    public double Fit { get; }

    private BeatGrid(BeatGridKind kind, double[] starts, double[] startBeats, double[] secondsPerBeat, double tempo, double clarity)
    {
        Kind = kind; _starts = starts; _startBeats = startBeats; _secondsPerBeat = secondsPerBeat; TempoBpm = tempo; PulseClarity = clarity;
    }

    private BeatGrid(BeatGrid g, double fit) : this(g.Kind, g._starts, g._startBeats, g._secondsPerBeat, g.TempoBpm, g.PulseClarity) => Fit = fit;

    /// <summary>No grid.</summary>
    public static BeatGrid None(double pulseClarity = 0) => new(BeatGridKind.None, [0], [0], [1], 0, pulseClarity);

    /// <summary>A constant grid: beat k at <c>phase + k·period</c> (s).</summary>
    public static BeatGrid Constant(double periodSeconds, double phaseSeconds, double pulseClarity = 0)
    {
        if (!(periodSeconds > 0) || !double.IsFinite(periodSeconds) || !double.IsFinite(phaseSeconds))
            throw new FeatureParameterException(nameof(BeatGrid), [$"period = {periodSeconds} s must be finite and > 0 and phase = {phaseSeconds} s finite"]);
        return new(BeatGridKind.Estimated, [phaseSeconds], [0], [periodSeconds], 60 / periodSeconds, pulseClarity);
    }

    /// <summary>Beat position (beats) of time <paramref name="t"/> (s).</summary>
    public double BeatPosition(double t)
    {
        int i = _starts.Length - 1;
        while (i > 0 && _starts[i] > t) i--;
        return _startBeats[i] + (t - _starts[i]) / _secondsPerBeat[i];
    }

    /// <summary>Average tempo (bpm) of the grid over [t0, t1): 60 · (beats elapsed) / (t1 − t0); 0 for no grid.</summary>
    public double BpmOver(double t0, double t1)
        => Kind == BeatGridKind.None || !(t1 > t0) ? 0 : 60 * (BeatPosition(t1) - BeatPosition(t0)) / (t1 - t0);

    /// <summary>
    /// The tempo map of <paramref name="score"/> as a grid; null for SMPTE time division (no quarter notes). Tempo and
    /// fit are filled in by <see cref="Resolve"/>.
    /// </summary>
    public static BeatGrid? FromTempoMap(MidiScore score)
    {
        if (score.TicksPerQuarter <= 0) return null;
        var starts = new List<double>(); var beats = new List<double>(); var spb = new List<double>();
        if (score.Tempos.Count == 0 || score.Tempos[0].Tick > 0) { starts.Add(0); beats.Add(0); spb.Add(0.5); }
        foreach (var t in score.Tempos)
        {
            if (starts.Count > 0 && Math.Abs(starts[^1] - t.Seconds) < 1e-12) { starts.RemoveAt(starts.Count - 1); beats.RemoveAt(beats.Count - 1); spb.RemoveAt(spb.Count - 1); }
            starts.Add(t.Seconds); beats.Add(t.Tick / (double)score.TicksPerQuarter); spb.Add(t.MicrosecondsPerQuarter / 1e6);
        }
        return new BeatGrid(BeatGridKind.TempoMap, [.. starts], [.. beats], [.. spb], 0, 0);
    }

    /// <summary>
    /// The grid <see cref="SymbolicFeatureExtractor"/> uses for a score whose onset clusters are at <paramref name="clusterOnsets"/>
    /// (s, ascending) with weights <paramref name="clusterWeights"/>, following <see cref="MetricGridOptions.Source"/>;
    /// <paramref name="end"/> (s) bounds the envelope. SMPTE-timed files have no tempo map and are always estimated.
    /// </summary>
    public static BeatGrid Resolve(MidiScore score, ReadOnlySpan<double> clusterOnsets, ReadOnlySpan<double> clusterWeights, double end, MetricGridOptions options)
    {
        var env = Envelope(clusterOnsets, clusterWeights, end, options.EnvelopeRate, options.EnvelopeSmoothingSeconds);
        double clarity = TempoEstimator.Estimate(env, options.EnvelopeRate, options.Tempo).PulseClarity;
        if (clusterOnsets.Length < options.MinOnsets) return None(clarity);
        if (options.Source != MetricGridSource.Estimated && FromTempoMap(score) is { } map)
        {
            double fit = FitOf(map, clusterOnsets, options.GridFitToleranceBeats);
            if (options.Source == MetricGridSource.TempoMap || fit >= options.GridFitThreshold)
            {
                double t0 = clusterOnsets[0], t1 = clusterOnsets[^1];
                double tempo = t1 > t0 ? map.BpmOver(t0, t1) : 60 / map._secondsPerBeat[0];
                return new BeatGrid(new BeatGrid(BeatGridKind.TempoMap, map._starts, map._startBeats, map._secondsPerBeat, tempo, clarity), fit);
            }
        }
        return EstimateCore(clusterOnsets, clusterWeights, end, options, env);
    }

    /// <summary>Estimates a constant grid from onset clusters (see the type's remarks).</summary>
    public static BeatGrid Estimate(ReadOnlySpan<double> clusterOnsets, ReadOnlySpan<double> clusterWeights, double end, MetricGridOptions options)
        => EstimateCore(clusterOnsets, clusterWeights, end, options,
                    Envelope(clusterOnsets, clusterWeights, end, options.EnvelopeRate, options.EnvelopeSmoothingSeconds));

    private static BeatGrid EstimateCore(ReadOnlySpan<double> t, ReadOnlySpan<double> w, double end, MetricGridOptions o, float[] env)
    {
        if (t.Length != w.Length) throw new ShapeMismatchException($"{t.Length} onset times but {w.Length} weights");
        var te = TempoEstimator.Estimate(env, o.EnvelopeRate, o.Tempo);
        if (t.Length < o.MinOnsets || !te.Valid) return None(te.PulseClarity);
        double period = te.PeriodSeconds;
        // phase: Gaussian-weighted alignment of the onsets with the beats, on envelope-frame steps
        double step = 1 / o.EnvelopeRate, sigma = 0.05 * period, bestPhase = 0, bestScore = double.NegativeInfinity;
        for (double phase = 0; phase < period; phase += step)
        {
            double s = 0;
            for (int i = 0; i < t.Length; i++)
            {
                double d = t[i] - phase;
                d -= Math.Round(d / period) * period;
                s += w[i] * Math.Exp(-0.5 * d * d / (sigma * sigma));
            }
            if (s > bestScore + 1e-12) { bestScore = s; bestPhase = phase; }
        }
        // least-squares refinement on the onsets matched to beats
        for (int iter = 0; iter < 2; iter++)
        {
            double sw = 0, sk = 0, st = 0, skk = 0, skt = 0; int kMin = int.MaxValue, kMax = int.MinValue;
            for (int i = 0; i < t.Length; i++)
            {
                double pos = (t[i] - bestPhase) / period;
                int k = (int)Math.Round(pos);
                if (Math.Abs(pos - k) > o.MatchToleranceBeats || w[i] <= 0) continue;
                sw += w[i]; sk += w[i] * k; st += w[i] * t[i]; skk += w[i] * k * k; skt += w[i] * k * t[i];
                kMin = Math.Min(kMin, k); kMax = Math.Max(kMax, k);
            }
            if (kMax <= kMin) break;
            double den = sw * skk - sk * sk;
            if (!(den > 0)) break;
            double p = (sw * skt - sk * st) / den, phi = (st - p * sk) / sw;
            if (!(Math.Abs(p / period - 1) < 0.1)) break;
            period = p; bestPhase = phi - Math.Floor(phi / p) * p;
        }
        var grid = Constant(period, bestPhase, te.PulseClarity);
        return new BeatGrid(grid, FitOf(grid, t, o.GridFitToleranceBeats));
    }

    private static readonly double[] GridFractions = [0, 0.25, 1 / 3.0, 0.5, 2 / 3.0, 0.75, 1];

    private static double FitOf(BeatGrid g, ReadOnlySpan<double> t, double tol)
    {
        if (t.Length == 0) return 0;
        int hit = 0;
        foreach (var x in t)
        {
            double pos = g.BeatPosition(x), frac = pos - Math.Floor(pos), d = double.MaxValue;
            foreach (var f in GridFractions) d = Math.Min(d, Math.Abs(frac - f));
            if (d <= tol) hit++;
        }
        return hit / (double)t.Length;
    }

    /// <summary>
    /// Onset envelope at <paramref name="rate"/> Hz over [0, end]: an impulse of weight wᵢ at frame round(tᵢ·rate) per onset,
    /// convolved with a unit-peak Gaussian of standard deviation <paramref name="sigmaSeconds"/> (truncated at 3σ).
    /// </summary>
    public static float[] Envelope(ReadOnlySpan<double> onsets, ReadOnlySpan<double> weights, double end, double rate, double sigmaSeconds)
    {
        if (onsets.Length != weights.Length) throw new ShapeMismatchException($"{onsets.Length} onset times but {weights.Length} weights");
        double last = end;
        foreach (var x in onsets) last = Math.Max(last, x);
        int n = (int)Math.Ceiling(Math.Max(0, last) * rate) + 1;
        var imp = new float[n];
        for (int i = 0; i < onsets.Length; i++)
        {
            int k = (int)Math.Round(onsets[i] * rate);
            if (k >= 0 && k < n) imp[k] += (float)weights[i];
        }
        double sig = sigmaSeconds * rate;
        if (sig < 0.5) return imp;
        int rad = (int)Math.Ceiling(3 * sig);
        var ker = new float[2 * rad + 1];
        for (int j = -rad; j <= rad; j++) ker[j + rad] = (float)Math.Exp(-0.5 * j * j / (sig * sig));
        var env = new float[n];
        for (int k = 0; k < n; k++)
        {
            if (imp[k] == 0) continue;
            for (int j = Math.Max(-rad, -k); j <= rad && k + j < n; j++) env[k + j] += imp[k] * ker[j + rad];
        }
        return env;
    }
}
