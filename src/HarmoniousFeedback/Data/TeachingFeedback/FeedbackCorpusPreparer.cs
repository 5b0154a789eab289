using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Deviations;
using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// Renders and stores a <see cref="FeedbackCorpusDraft"/> as a prepared folder:
/// <code>
///   manifest.json                         Manifest (format 1) — one clip per (rendition, renderer), label = dominant issue
///   feedback.json                         FeedbackLabelsFile — references, renditions, spans, windows, hashes
///   audio/&lt;clip&gt;.wav                       student renditions, one per renderer (clip ids "fb00000", shuffled)
///   midi/&lt;rendition&gt;.mid                   student MIDI (shared by its renderers)
///   reference/&lt;ref&gt;.mid                    reference excerpt
///   reference/&lt;ref&gt;.&lt;renderer&gt;.wav         reference rendered by each renderer
///   cache/render/…                        render cache (PrepareOptions.CacheDirectory to share one)
/// </code>
/// Each manifest clip carries <see cref="ManifestClip.Targets"/> (the six scores and the emotional targets),
/// <see cref="ManifestClip.Renderer"/>, its reference's audio (same renderer) and MIDI, the reference's intended
/// valence/arousal and the source's split. Label values are rounded to 6 decimals before storing, so a last-bit
/// difference of a libm function cannot change the corpus hash.
/// <para>
/// Incremental like <see cref="DatasetPreparer"/>: a render whose MIDI and renderer give the recorded render key and
/// whose file still has the recorded SHA-256 is left alone; otherwise a render-cache hit copies it. A second run over an
/// unchanged folder renders nothing, rewrites nothing and reports <see cref="FeedbackPrepareResult.UpToDate"/>.
/// </para>
/// </summary>
public static class FeedbackCorpusPreparer
{
    /// <summary>Renders <paramref name="draft"/> with every renderer of <paramref name="renderers"/> into <see cref="PrepareOptions.OutputDirectory"/>.</summary>
    public static FeedbackPrepareResult Prepare(FeedbackCorpusDraft draft, IReadOnlyList<NamedRenderer> renderers, PrepareOptions options,
                                                Action<PrepareProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(renderers);
        options.Validate();
        var problems = new List<string>();
        if (renderers.Count == 0) problems.Add("at least one renderer is needed");
        if (renderers.Select(r => r.Name).Distinct().Count() != renderers.Count) problems.Add($"renderer names repeat: {string.Join(", ", renderers.Select(r => r.Name))}");
        if (renderers.Select(r => r.Renderer.SampleRate).Distinct().Count() > 1)
            problems.Add($"renderers must share one sample rate (got {string.Join(", ", renderers.Select(r => $"{r.Name} {r.Renderer.SampleRate} Hz"))})");
        if (problems.Count > 0) throw new OptionsValidationException("renderers", problems);

        var sw = Stopwatch.StartNew();
        var outDir = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(outDir);
        var cache = new RenderCache(options.CacheDirectory ?? Path.Combine(outDir, "cache", "render"), options.AudioEncoding);
        var previous = PreviousFiles(outDir, out var prevManifest, out var prevLabels);

        // Clip ids: one per (rendition, renderer), numbered after a seeded shuffle.
        var pairs = draft.Renditions.SelectMany(r => renderers.Select(n => (Rendition: r, Renderer: n))).ToList();
        var order = Enumerable.Range(0, pairs.Count).ToList();
        DeterministicRandom.For(draft.Options.Seed, "feedback-clip-ids", 0).Shuffle(order);
        int width = Math.Max(5, (pairs.Count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var clipId = new Dictionary<(string, string), string>();
        for (int k = 0; k < order.Count; k++)
            clipId[(pairs[order[k]].Rendition.Id, pairs[order[k]].Renderer.Name)] = "fb" + k.ToString("D" + width, CultureInfo.InvariantCulture);

        // MIDI files.
        var refMidi = draft.References.ToDictionary(r => r.Id, r => WriteMidi(outDir, Rel("reference", r.Id + ".mid"), r.Score));
        var stuMidi = draft.Renditions.ToDictionary(r => r.Id, r => WriteMidi(outDir, Rel("midi", r.Id + ".mid"), r.Score));

        // Renders: references, then students.
        var jobs = new List<(string Rel, byte[] Midi, string MidiSha, MidiScore Score, IMidiRenderer Renderer)>();
        foreach (var r in draft.References)
            foreach (var n in renderers)
                jobs.Add((ReferenceAudio(r.Id, n.Name), refMidi[r.Id].Bytes, refMidi[r.Id].Sha, r.Score, n.Renderer));
        foreach (var r in draft.Renditions)
            foreach (var n in renderers)
                jobs.Add((Rel("audio", clipId[(r.Id, n.Name)] + ".wav"), stuMidi[r.Id].Bytes, stuMidi[r.Id].Sha, r.Score, n.Renderer));
        var results = new (string Sha, string Key)[jobs.Count];
        var counts = new ConcurrentDictionary<PrepareAction, int>();
        int done = 0;
        try
        {
            Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation }, i =>
            {
                var j = jobs[i];
                string key = RenderCache.Key(j.MidiSha, j.Renderer);
                string path = Path.Combine(outDir, j.Rel);
                PrepareAction action;
                string sha;
                if (previous.TryGetValue(j.Rel, out var prev) && prev.Key == key && File.Exists(path) && DatasetPreparer.Sha256File(path) == prev.Sha)
                {
                    sha = prev.Sha;
                    action = PrepareAction.UpToDate;
                }
                else
                {
                    var cached = cache.GetOrRender(j.Renderer, j.Midi, () => j.Score, out bool rendered);
                    DatasetPreparer.AtomicCopy(cached, path);
                    sha = DatasetPreparer.Sha256File(path);
                    action = rendered ? PrepareAction.Rendered : PrepareAction.FromCache;
                }
                results[i] = (sha, key);
                counts.AddOrUpdate(action, 1, (_, c) => c + 1);
                progress?.Invoke(new PrepareProgress(Interlocked.Increment(ref done), jobs.Count, j.Rel, action));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is HarmoniousFeedbackException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        var byRel = jobs.Select((j, i) => (j.Rel, results[i])).ToDictionary(x => x.Rel, x => x.Item2, StringComparer.Ordinal);

        // Manifest and labels.
        var refById = draft.References.ToDictionary(r => r.Id);
        var manifestClips = new List<ManifestClip>();
        foreach (var r in draft.Renditions)
        {
            var targets = Targets(r.Labels);
            foreach (var n in renderers)
            {
                string id = clipId[(r.Id, n.Name)], audio = Rel("audio", id + ".wav"), refAudio = ReferenceAudio(r.Reference.Id, n.Name);
                manifestClips.Add(new ManifestClip
                {
                    Id = id,
                    Label = r.Labels.DominantIssue,
                    Group = r.Reference.Group,
                    Split = Manifest.SplitName(r.Reference.Split),
                    Valence = R6(r.Reference.IntendedValence),
                    Arousal = R6(r.Reference.IntendedArousal),
                    Audio = audio,
                    Midi = Rel("midi", r.Id + ".mid"),
                    MidiSha256 = stuMidi[r.Id].Sha,
                    AudioSha256 = byRel[audio].Sha,
                    RenderKey = byRel[audio].Key,
                    Targets = targets,
                    Renderer = n.Name,
                    ReferenceAudio = refAudio,
                    ReferenceAudioSha256 = byRel[refAudio].Sha,
                    ReferenceMidi = Rel("reference", r.Reference.Id + ".mid"),
                    ReferenceMidiSha256 = refMidi[r.Reference.Id].Sha,
                });
            }
        }
        var manifest = Manifest.Create(draft.Name, draft.Source, null, FeedbackDimensions.IssueClasses, manifestClips,
            renderers.Select(n => new ManifestRenderer { Name = n.Name, CacheKey = n.Renderer.CacheKey, SampleRate = n.Renderer.SampleRate }).ToArray());
        var labels = new FeedbackLabelsFile
        {
            Name = draft.Name,
            Source = draft.Source,
            Options = draft.Options.ToString(),
            Dimensions = FeedbackDimensions.All.Select(FeedbackDimensions.Name).ToArray(),
            IssueClasses = FeedbackDimensions.IssueClasses,
            Renderers = renderers.ToDictionary(n => n.Name, n => n.Renderer.CacheKey, StringComparer.Ordinal),
            References = draft.References.Select(r => ReferenceRecord(r, refMidi[r.Id].Sha, renderers, byRel)).ToArray(),
            Renditions = draft.Renditions.Select(r => RenditionRecord(r, stuMidi[r.Id].Sha, renderers, clipId)).ToArray(),
        }.WithHashes(manifest.ManifestHash);

        bool changed = prevManifest is null || prevLabels is null || prevManifest.ManifestHash != manifest.ManifestHash
                       || prevLabels.CorpusHash != labels.CorpusHash || prevManifest.Source != manifest.Source;
        if (changed)
        {
            labels.Write(outDir);
            manifest.Write(outDir);
        }
        return new FeedbackPrepareResult(changed ? manifest : prevManifest!, changed ? labels : prevLabels!, counts.ToDictionary(k => k.Key, k => k.Value), changed, sw.Elapsed);
    }

    private static string Rel(string folder, string file) => folder + "/" + file;

    private static string ReferenceAudio(string referenceId, string renderer) => Rel("reference", referenceId + "." + renderer + ".wav");

    private static double R6(double x) => Math.Round(x, 6, MidpointRounding.AwayFromZero);

    private static Dictionary<string, double> Round(IReadOnlyDictionary<string, double> d) => d.ToDictionary(k => k.Key, k => R6(k.Value), StringComparer.Ordinal);

    private static Dictionary<string, double> Targets(RenditionLabels labels)
    {
        var t = Round(labels.Scores.ToDictionary());
        foreach (var kv in labels.Emotion.ToDictionary()) t[kv.Key] = R6(kv.Value);
        return t;
    }

    private static (byte[] Bytes, string Sha) WriteMidi(string outDir, string rel, MidiScore score)
    {
        var bytes = MidiWriter.ToBytes(score);
        var sha = RenderCache.Sha256Hex(bytes);
        var path = Path.Combine(outDir, rel);
        if (!File.Exists(path) || DatasetPreparer.Sha256File(path) != sha)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var tmp = path + ".tmp-" + Environment.ProcessId;
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        return (bytes, sha);
    }

    /// <summary>Relative audio path → (SHA-256, render key) recorded by the previous run.</summary>
    private static Dictionary<string, (string Sha, string Key)> PreviousFiles(string outDir, out Manifest? manifest, out FeedbackLabelsFile? labels)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        manifest = null;
        labels = null;
        try { manifest = File.Exists(Path.Combine(outDir, Manifest.FileName)) ? Manifest.Read(outDir) : null; }
        catch (DatasetException) { manifest = null; } // unreadable or tampered: content hashes decide
        try { labels = File.Exists(Path.Combine(outDir, FeedbackLabelsFile.FileName)) ? FeedbackLabelsFile.Read(outDir) : null; }
        catch (DatasetException) { labels = null; }
        foreach (var c in manifest?.Clips ?? [])
            if (c.RenderKey is not null) result[c.Audio] = (c.AudioSha256, c.RenderKey);
        foreach (var r in labels?.References ?? [])
            foreach (var (renderer, path) in r.Audio)
                if (r.AudioSha256.TryGetValue(renderer, out var sha) && r.RenderKeys.TryGetValue(renderer, out var key)) result[path] = (sha, key);
        return result;
    }

    private static FeedbackReferenceRecord ReferenceRecord(FeedbackReference r, string midiSha, IReadOnlyList<NamedRenderer> renderers,
                                                           Dictionary<string, (string Sha, string Key)> byRel) => new()
                                                           {
                                                               Id = r.Id,
                                                               Group = r.Group,
                                                               SourceId = r.SourceId,
                                                               SourceGroup = r.SourceGroup,
                                                               Split = Manifest.SplitName(r.Split),
                                                               Start = R6(r.Start),
                                                               Seconds = R6(r.Seconds),
                                                               Notes = r.Score.Notes.Count,
                                                               IntendedValence = R6(r.IntendedValence),
                                                               IntendedArousal = R6(r.IntendedArousal),
                                                               Quadrant = r.Quadrant,
                                                               Midi = Rel("reference", r.Id + ".mid"),
                                                               MidiSha256 = midiSha,
                                                               Audio = renderers.ToDictionary(n => n.Name, n => ReferenceAudio(r.Id, n.Name), StringComparer.Ordinal),
                                                               AudioSha256 = renderers.ToDictionary(n => n.Name, n => byRel[ReferenceAudio(r.Id, n.Name)].Sha, StringComparer.Ordinal),
                                                               RenderKeys = renderers.ToDictionary(n => n.Name, n => byRel[ReferenceAudio(r.Id, n.Name)].Key, StringComparer.Ordinal),
                                                           };

    private static FeedbackRenditionRecord RenditionRecord(FeedbackRendition r, string midiSha, IReadOnlyList<NamedRenderer> renderers,
                                                           Dictionary<(string, string), string> clipId) => new()
                                                           {
                                                               Id = r.Id,
                                                               Reference = r.Reference.Id,
                                                               Group = r.Reference.Group,
                                                               Seed = r.Plan.Seed,
                                                               Clean = r.Plan.Clean,
                                                               Midi = Rel("midi", r.Id + ".mid"),
                                                               MidiSha256 = midiSha,
                                                               Seconds = R6(r.Plan.Performance.End),
                                                               Scores = Round(r.Labels.Scores.ToDictionary()),
                                                               DominantIssue = r.Labels.DominantIssue,
                                                               Emotion = Round(r.Labels.Emotion.ToDictionary()),
                                                               Deviations = r.Labels.Deviations.Select(d => new FeedbackDeviationRecord
                                                               {
                                                                   Kind = DeviationKinds.Name(d.Deviation.Kind),
                                                                   Dimension = FeedbackDimensions.Name(d.Deviation.Dimension),
                                                                   Intensity = R6(d.Deviation.Intensity),
                                                                   Start = R6(d.Deviation.Span.Start),
                                                                   End = R6(d.Deviation.Span.End),
                                                                   Localised = d.Deviation.Localised,
                                                                   Severity = R6(d.Severity),
                                                                   Amounts = Round(d.Deviation.Amounts),
                                                                   ChangedNotes = d.Deviation.ChangedNotes.Count,
                                                               }).ToArray(),
                                                               Windows = r.Labels.Windows.Select(w => new FeedbackWindowRecord
                                                               {
                                                                   Start = R6(w.Window.Start),
                                                                   End = R6(w.Window.End),
                                                                   Scores = Round(w.Scores.ToDictionary()),
                                                                   DominantIssue = w.DominantIssue,
                                                               }).ToArray(),
                                                               Clips = renderers.ToDictionary(n => n.Name, n => clipId[(r.Id, n.Name)], StringComparer.Ordinal),
                                                           };
}
