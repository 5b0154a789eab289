using System.Globalization;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// A student's rendition of a reference score, with ground truth by construction: every note keeps its identity and
/// its clean twin (<see cref="PerformedNote"/>), the pedal exists in a clean and a played version, planted time warps
/// are recorded in <see cref="PlantedTempo"/>, and every planted deviation in <see cref="Deviations"/>.
/// Immutable: <see cref="NaturalVariability.Apply"/> and each <see cref="IPerformanceDeviation.Apply"/> return a new
/// performance. Times are the student's seconds from the start of the excerpt.
/// <para>
/// Typical use: <c>StudentPerformance.FromReference(excerpt)</c> → <see cref="NaturalVariability"/> → planted
/// deviations (tempo warps first, so that later spans are chosen on the final timeline) → <see cref="ToScore"/> to write
/// or render the student's MIDI.
/// </para>
/// </summary>
public sealed class StudentPerformance
{
    private StudentPerformance(MidiScore reference, double referenceEnd, IReadOnlyList<PerformedNote> notes,
        IReadOnlyList<ControlChange> cleanControls, IReadOnlyList<ControlChange> playedControls, double end,
        TempoCurve tempo, IReadOnlyList<PlantedDeviation> deviations, DiatonicScale scale, bool natural)
    {
        Reference = reference;
        ReferenceEnd = referenceEnd;
        Notes = notes;
        CleanControls = cleanControls;
        PlayedControls = playedControls;
        End = end;
        PlantedTempo = tempo;
        Deviations = deviations;
        Scale = scale;
        HasNaturalVariability = natural;
    }

    /// <summary>The reference score (the excerpt as written), in reference seconds.</summary>
    public MidiScore Reference { get; }

    /// <summary>Where the reference excerpt ends (s, reference time).</summary>
    public double ReferenceEnd { get; }

    /// <summary>Written notes (ids 0 … n−1 in the reference's order) followed by extra notes in insertion order.</summary>
    public IReadOnlyList<PerformedNote> Notes { get; }

    /// <summary>Controller changes of the clean performance (the reference's, time-warped).</summary>
    public IReadOnlyList<ControlChange> CleanControls { get; }

    /// <summary>Controller changes as played (pedal deviations change these).</summary>
    public IReadOnlyList<ControlChange> PlayedControls { get; }

    /// <summary>Where the excerpt ends in the student's time: <see cref="ReferenceEnd"/> after every time warp.</summary>
    public double End { get; }

    /// <summary>The whole clip [0, <see cref="End"/>).</summary>
    public TimeRange WholeClip => new(0, End);

    /// <summary>Planted tempo deviations as local stretch over the student's time.</summary>
    public TempoCurve PlantedTempo { get; }

    /// <summary>Every planted deviation in the order applied; spans in the student's (current) time.</summary>
    public IReadOnlyList<PlantedDeviation> Deviations { get; }

    /// <summary>The diatonic scale estimated from the reference (<see cref="DiatonicScale.Estimate"/>).</summary>
    public DiatonicScale Scale { get; }

    /// <summary>True once <see cref="NaturalVariability"/> has been applied.</summary>
    public bool HasNaturalVariability { get; }

    /// <summary>The next free note id (for inserted notes).</summary>
    public int NextNoteId => Notes.Count == 0 ? 0 : Notes.Max(n => n.Id) + 1;

    /// <summary>
    /// A performance that plays <paramref name="reference"/> exactly. <paramref name="end"/> is where the excerpt ends
    /// (s); default: the latest key release or control time. Notes get ids in the reference's order.
    /// </summary>
    public static StudentPerformance FromReference(MidiScore reference, double? end = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        double e = end ?? Math.Max(reference.Notes.Count == 0 ? 0 : reference.Notes.Max(n => n.Offset),
                                   reference.Controls.Count == 0 ? 0 : reference.Controls.Max(c => c.Seconds));
        if (!(e > 0) || double.IsInfinity(e))
            throw new MidiFormatException(reference.Source, string.Create(CultureInfo.InvariantCulture, $"a performance needs a positive, finite end time (got {e} s; is the score empty?)"));
        var notes = new PerformedNote[reference.Notes.Count];
        for (int i = 0; i < notes.Length; i++)
        {
            var n = reference.Notes[i] with { PedalOffset = reference.Notes[i].Offset };
            notes[i] = new PerformedNote(i, i, n, n, false);
        }
        return new StudentPerformance(reference, e, notes, reference.Controls, reference.Controls, e, TempoCurve.Flat(e), [],
                                      DiatonicScale.Estimate(reference.Notes), natural: false);
    }

    /// <summary>The student's score: played notes (missed ones left out) and played controls, written and read back (see <see cref="MidiExcerpt"/> for why).</summary>
    public MidiScore ToScore() => Build(Notes.Where(n => !n.Missed).Select(n => n.Played), PlayedControls, "student");

    /// <summary>The clean twin's score: every written note as <see cref="PerformedNote.Clean"/> with the clean controls (no extra notes).</summary>
    public MidiScore ToCleanScore() => Build(Notes.Where(n => !n.IsExtra).Select(n => n.Clean), CleanControls, "clean");

    /// <summary>
    /// Pedal-extended offsets (<see cref="SustainPedal"/>) per entry of <see cref="Notes"/>: the clean twin's (NaN for
    /// extra notes) and the played one's (NaN for missed notes), with a pedal never lifted releasing at <see cref="End"/>.
    /// </summary>
    public (double[] Clean, double[] Played) SoundingOffsets()
    {
        var cleanIdx = Enumerable.Range(0, Notes.Count).Where(i => !Notes[i].IsExtra).ToArray();
        var playedIdx = Enumerable.Range(0, Notes.Count).Where(i => !Notes[i].Missed).ToArray();
        double fileEnd = Math.Max(End, Notes.Count == 0 ? 0 : Notes.Max(n => Math.Max(n.Clean.Offset, n.Played.Offset)));
        var c = SustainPedal.Extend(cleanIdx.Select(i => Notes[i].Clean).ToArray(), CleanControls, fileEnd);
        var p = SustainPedal.Extend(playedIdx.Select(i => Notes[i].Played).ToArray(), PlayedControls, fileEnd);
        var clean = Enumerable.Repeat(double.NaN, Notes.Count).ToArray();
        var played = Enumerable.Repeat(double.NaN, Notes.Count).ToArray();
        for (int k = 0; k < cleanIdx.Length; k++) clean[cleanIdx[k]] = c[k].PedalOffset;
        for (int k = 0; k < playedIdx.Length; k++) played[playedIdx[k]] = p[k].PedalOffset;
        return (clean, played);
    }

    private MidiScore Build(IEnumerable<MidiNote> notes, IReadOnlyList<ControlChange> controls, string what)
    {
        string source = Reference.Source + "#" + what;
        var draft = new MidiScore
        {
            Notes = notes.Select(n => n with { PedalOffset = n.Offset }).ToArray(),
            Tempos = Reference.Tempos.Count > 0 ? [Reference.Tempos[0] with { Tick = 0, Seconds = 0 }] : [],
            TimeSignatures = Reference.TimeSignatures.Count > 0 ? [Reference.TimeSignatures[0] with { Tick = 0, Seconds = 0 }] : [],
            Controls = controls.OrderBy(c => c.Seconds).ToArray(),
            Source = source,
        };
        return MidiReader.Read(MidiWriter.ToBytes(draft), source);
    }

    internal StudentPerformance With(IReadOnlyList<PerformedNote>? notes = null, IReadOnlyList<ControlChange>? cleanControls = null,
        IReadOnlyList<ControlChange>? playedControls = null, PlantedDeviation? planted = null, bool? natural = null)
        => new(Reference, ReferenceEnd, notes ?? Notes, cleanControls ?? CleanControls, playedControls ?? PlayedControls, End, PlantedTempo,
               planted is null ? Deviations : [.. Deviations, planted], Scale, natural ?? HasNaturalVariability);

    /// <summary>
    /// Applies a time warp to every time (clean and played notes, both control lists, the end, earlier deviations' spans)
    /// and to <see cref="PlantedTempo"/> when <paramref name="planted"/>. <paramref name="record"/> (its span in the
    /// pre-warp time) is mapped too and appended.
    /// </summary>
    internal StudentPerformance Warp(ITimeWarp warp, bool planted, PlantedDeviation? record = null, bool? natural = null)
    {
        MidiNote W(MidiNote n)
        {
            double on = warp.Map(n.Onset), off = warp.Map(n.Offset);
            return n with { Onset = on, Offset = off, PedalOffset = off };
        }
        TimeRange R(TimeRange r) => new(warp.Map(r.Start), warp.Map(r.End));
        var notes = Notes.Select(n => n with { Clean = W(n.Clean), Played = W(n.Played) }).ToArray();
        var cc = CleanControls.Select(c => c with { Seconds = warp.Map(c.Seconds) }).ToArray();
        var pc = PlayedControls.Select(c => c with { Seconds = warp.Map(c.Seconds) }).ToArray();
        double end = warp.Map(End);
        var deviations = Deviations.Select(d => d with { Span = R(d.Span) }).ToList();
        if (record is not null) deviations.Add(record with { Span = R(record.Span) });
        return new StudentPerformance(Reference, ReferenceEnd, notes, cc, pc, end, PlantedTempo.Warp(warp, end, planted), deviations, Scale,
                                      natural ?? HasNaturalVariability);
    }
}
