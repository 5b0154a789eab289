using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Deviations;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// Draws the student renditions of one reference, deterministically from (seed, reference index):
/// <list type="number">
/// <item>Every rendition starts as <see cref="StudentPerformance.FromReference"/> with the plan's
/// <see cref="NaturalVariability"/>. Rendition 0 stays clean.</item>
/// <item>Rendition k ≥ 1 plants one deviation of dimension π[(k − 1) mod 6], π a seeded permutation of the six
/// dimensions per reference (so each reference covers min(N − 1, 6) different dimensions and the classes stay
/// balanced over references); with probability <see cref="RenditionPlanOptions.CombinedFraction"/> a second deviation of
/// another, uniformly drawn dimension is added.</item>
/// <item>Kind per dimension (uniform unless said): pitch — wrong notes (0.7; in-key or out-of-key 50/50) or extra notes
/// (0.3); rhythm — onset jitter; tempo — local rush/drag (always a span; direction 50/50) or global (drift 0.7 /
/// constant 0.3; direction 50/50); dynamics — flattened, exaggerated or sudden (sudden: always a span, louder/softer
/// 50/50); articulation — staccato, legato, pedal held, or pedal missing (only where a pedal press exists); completeness
/// — missed notes.</item>
/// <item>Intensity ~ U(IntensityMin, IntensityMax); a kind that may act on a span does so with probability
/// LocalisedFraction, with length ~ U(LocalSpanMinSeconds, LocalSpanMaxSeconds) capped at LocalSpanMaxFraction of the
/// clip and start ~ U(0, end − length) on the timeline current when it is applied.</item>
/// <item>Deviations apply in the order tempo, rhythm, articulation, dynamics, pitch, completeness, so a warp is in place
/// before later spans are drawn (earlier spans are moved by later warps anyway). A drawn deviation that is not
/// applicable (no note or pedal press in its span) is redrawn up to 8 times, then acts on the whole clip; one whose
/// severity over its span stays below <see cref="RenditionPlanOptions.MinSeverity"/> (inaudible by the labelling rules)
/// is redrawn up to 8 times, then kept.</item>
/// </list>
/// </summary>
public static class RenditionPlanner
{
    private static readonly FeedbackDimension[] ApplyOrder =
        [FeedbackDimension.Tempo, FeedbackDimension.Rhythm, FeedbackDimension.Articulation, FeedbackDimension.Dynamics, FeedbackDimension.Pitch, FeedbackDimension.Completeness];

    /// <summary>
    /// The renditions of the reference excerpt <paramref name="reference"/> (ending at <paramref name="end"/> s), reference
    /// number <paramref name="referenceIndex"/>; <paramref name="rules"/> judge the severity check.
    /// </summary>
    public static IReadOnlyList<PlannedRendition> Plan(MidiScore reference, double end, long referenceIndex, RenditionPlanOptions options, long seed,
                                                       FeedbackLabelRules? rules = null)
    {
        rules ??= new FeedbackLabelRules();
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var perm = new List<FeedbackDimension>(FeedbackDimensions.All);
        PerformanceRandom.For(seed, "plan-dimensions", referenceIndex).Shuffle(perm);
        var result = new List<PlannedRendition>(options.Renditions);
        for (int k = 0; k < options.Renditions; k++)
        {
            long rSeed = (long)PerformanceRandom.For(seed, "rendition-seed", referenceIndex * 1024 + k).NextUInt64();
            var r = PerformanceRandom.For(rSeed, "plan");
            var p = options.Natural.Apply(StudentPerformance.FromReference(reference, end), rSeed);
            var dims = new List<FeedbackDimension>();
            if (k > 0)
            {
                dims.Add(perm[(k - 1) % perm.Count]);
                if (r.Chance(options.CombinedFraction))
                {
                    var others = FeedbackDimensions.All.Where(d => d != dims[0]).ToArray();
                    dims.Add(others[r.Next(others.Length)]);
                }
            }
            var specs = new List<IPerformanceDeviation>();
            int n = 0;
            foreach (var d in ApplyOrder.Where(dims.Contains))
            {
                for (int attempt = 0; ; attempt++)
                {
                    var spec = Draw(d, p, r, options);
                    var q = spec.Apply(p, rSeed + 7919L * ++n);
                    double severity = 1 - FeedbackLabeler.Scores(q, q.Deviations[^1].Span, rules)[d];
                    if (severity < options.MinSeverity && attempt < 8) continue;
                    p = q;
                    specs.Add(spec);
                    break;
                }
            }
            result.Add(new PlannedRendition(k, rSeed, specs, p));
        }
        return result;
    }

    private static IPerformanceDeviation Draw(FeedbackDimension d, StudentPerformance p, PerformanceRandom r, RenditionPlanOptions o)
    {
        for (int attempt = 0; ; attempt++)
        {
            double x = r.Uniform(o.IntensityMin, o.IntensityMax);
            bool local = r.Chance(o.LocalisedFraction);
            var spec = Kind(d, p, r, x, local, o);
            if (attempt >= 8 && spec.Span is not null && spec is not LocalTempoDeviation and not SuddenDynamicsDeviation)
                spec = spec.WithSpan(null);
            if (spec.IsApplicable(p) || attempt >= 9) return spec;
        }
    }

    private static IPerformanceDeviation Kind(FeedbackDimension d, StudentPerformance p, PerformanceRandom r, double x, bool local, RenditionPlanOptions o)
    {
        TimeRange Span()
        {
            double len = Math.Min(r.Uniform(o.LocalSpanMinSeconds, o.LocalSpanMaxSeconds), o.LocalSpanMaxFraction * p.End);
            double start = r.Uniform(0, p.End - len);
            return new TimeRange(start, start + len);
        }
        TimeRange? Maybe() => local ? Span() : null;
        switch (d)
        {
            case FeedbackDimension.Pitch:
                if (r.Chance(0.7))
                    return new WrongNotesDeviation { Intensity = x, Span = Maybe(), Mode = r.Chance(0.5) ? WrongNoteMode.InKey : WrongNoteMode.OutOfKey };
                return new ExtraNotesDeviation { Intensity = x, Span = Maybe() };
            case FeedbackDimension.Rhythm:
                return new OnsetJitterDeviation { Intensity = x, Span = Maybe() };
            case FeedbackDimension.Tempo:
                var dir = r.Chance(0.5) ? TempoDirection.Faster : TempoDirection.Slower;
                if (r.Chance(0.5)) return new LocalTempoDeviation { Intensity = x, Span = Span(), Direction = dir };
                return new GlobalTempoDeviation { Intensity = x, Direction = dir, Mode = r.Chance(0.7) ? GlobalTempoMode.Drift : GlobalTempoMode.Constant };
            case FeedbackDimension.Dynamics:
                return r.Next(3) switch
                {
                    0 => new FlattenedDynamicsDeviation { Intensity = x, Span = Maybe() },
                    1 => new ExaggeratedDynamicsDeviation { Intensity = x, Span = Maybe() },
                    _ => new SuddenDynamicsDeviation { Intensity = x, Span = Span(), Direction = r.Chance(0.5) ? DynamicsDirection.Louder : DynamicsDirection.Softer },
                };
            case FeedbackDimension.Articulation:
                var span = Maybe();
                var options = new List<IPerformanceDeviation>
                {
                    new StaccatoDeviation { Intensity = x, Span = span },
                    new LegatoDeviation { Intensity = x, Span = span },
                    new PedalHeldDeviation { Intensity = x, Span = span },
                };
                var missing = new PedalMissingDeviation { Intensity = x, Span = span };
                if (missing.IsApplicable(p)) options.Add(missing);
                return options[r.Next(options.Count)];
            default:
                return new MissedNotesDeviation { Intensity = x, Span = Maybe() };
        }
    }
}
