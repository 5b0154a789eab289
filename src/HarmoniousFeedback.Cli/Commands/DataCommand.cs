using System.CommandLine;
using System.Globalization;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb data prepare &lt;synthetic|emopia|vgmidi|folder&gt;</c>: load or generate a dataset, render its MIDI in parallel
/// through the render cache, write <c>audio/</c>, <c>midi/</c> (synthetic) and <c>manifest.json</c>, print a summary;
/// a second run over an unchanged folder renders nothing and prints "up to date".
/// <c>hfb data prepare feedback --source &lt;synthetic|emopia/vgmidi folder&gt;</c>: the teaching-feedback corpus (reference
/// excerpts, student renditions with planted deviations, labels by construction, every clip rendered by several renderers).
/// <c>hfb data fetch emopia</c>: download (Zenodo record 5090631, MD5-checked) or install from <c>--archive</c>.
/// </summary>
public static class DataCommand
{
    public static readonly string[] Kinds = ["synthetic", "emopia", "vgmidi", "folder", "feedback"];

    /// <remarks>
    /// Actions map the toolkit's typed exceptions themselves (<see cref="CliErrors.Run"/>): System.CommandLine's default
    /// exception handler would otherwise print a stack trace and exit with 1.
    /// </remarks>
    public static Command Create()
    {
        var data = new Command("data", "Prepare and fetch datasets (EMOPIA, VGMIDI, your own folder, the built-in synthetic corpus)");
        data.Add(CreatePrepare());
        data.Add(CreateFetch());
        return data;
    }

    private static Command CreatePrepare()
    {
        var kind = new Argument<string>("kind") { Description = "Dataset kind: synthetic, emopia, vgmidi, folder or feedback" };
        var outDir = new Option<string>("--out") { Description = "Prepared folder to write (manifest.json, audio/, midi/)", Required = true };
        var source = new Option<string?>("--source") { Description = "Dataset folder (emopia, vgmidi, folder); for feedback: an EMOPIA or VGMIDI folder, or \"synthetic\" (default)" };
        var clips = new Option<int>("--clips") { DefaultValueFactory = _ => 400, Description = "Number of synthetic pieces" };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the synthetic corpus (feedback: also of the renditions and ids)" };
        var renderer = new Option<string>("--renderer") { DefaultValueFactory = _ => "builtin", Description = "MIDI renderer: builtin (pure C# piano) or fluidsynth" };
        var rate = new Option<int>("--sample-rate") { DefaultValueFactory = _ => 16000, Description = "Sample rate of rendered audio (Hz); given explicitly, audio clips of a folder at other rates are resampled to it (else they keep their own)" };
        var soundfont = new Option<string>("--soundfont") { DefaultValueFactory = _ => FluidSynthOptions.DefaultSoundFont, Description = "SoundFont for --renderer fluidsynth" };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount, Description = "Clips rendered in parallel" };
        var cache = new Option<string?>("--cache") { Description = "Render cache folder (default <out>/cache/render); share one between folders to reuse renders" };
        var renderers = new Option<string?>("--renderers") { Description = "feedback: comma-separated renderers, each clip rendered by all (builtin, builtin-upright, builtin-varied = a voicing drawn per rendition for timbre augmentation, fluidsynth); default builtin,builtin-upright for synthetic, builtin,fluidsynth for a folder" };
        var renditions = new Option<int>("--renditions") { DefaultValueFactory = _ => 6, Description = "feedback: student renditions per reference (the first is clean)" };
        var maxPieces = new Option<int?>("--max-pieces") { Description = "feedback: use at most N source pieces, one per song first (synthetic: pieces generated, default 40)" };
        var excerpt = new Option<double>("--excerpt-seconds") { DefaultValueFactory = _ => 6, Description = "feedback: length of a reference excerpt in seconds" };
        var cmd = new Command("prepare", "Render/load a dataset into a prepared folder with manifest.json (incremental)")
        {
            kind, outDir, source, clips, seed, renderer, rate, soundfont, threads, cache, renderers, renditions, maxPieces, excerpt,
        };
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            bool feedback = pr.GetValue(kind)!.Trim().Equals("feedback", StringComparison.OrdinalIgnoreCase);
            // Options of the other kind are refused rather than silently ignored.
            Option[] foreign = feedback ? [renderer, clips] : [renderers, renditions, maxPieces, excerpt];
            if (foreign.FirstOrDefault(o => pr.GetResult(o) is { Implicit: false }) is { } given)
                throw new OptionsValidationException("data prepare", [feedback
                    ? $"{given.Name} does not apply to `data prepare feedback` (use --renderers a,b and --max-pieces N)"
                    : $"{given.Name} applies only to `data prepare feedback`"]);
            return feedback
                ? PrepareFeedback(pr.GetValue(outDir)!, pr.GetValue(source), pr.GetValue(seed), pr.GetValue(renderers), pr.GetValue(renditions),
                                  pr.GetValue(maxPieces), pr.GetValue(excerpt), pr.GetValue(rate), pr.GetValue(soundfont)!, pr.GetValue(threads), pr.GetValue(cache))
                : Prepare(pr.GetValue(kind)!, pr.GetValue(outDir)!, pr.GetValue(source), pr.GetValue(clips), pr.GetValue(seed),
                          pr.GetValue(renderer)!, pr.GetValue(rate), pr.GetValue(soundfont)!, pr.GetValue(threads), pr.GetValue(cache),
                          resampleAudio: pr.GetResult(rate) is { Implicit: false });
        }));
        return cmd;
    }

    private static Command CreateFetch()
    {
        var name = new Argument<string>("dataset") { Description = "Dataset to fetch: emopia" };
        var outDir = new Option<string>("--out") { DefaultValueFactory = _ => Path.Combine("data", "sources", "emopia"), Description = "Folder to unpack into (the layout `data prepare emopia --source` reads)" };
        var archive = new Option<string?>("--archive") { Description = "Install from this local EMOPIA_1.0.zip instead of downloading" };
        var cmd = new Command("fetch", "Download EMOPIA 1.0 from Zenodo (MD5-verified) or install a local archive") { name, outDir, archive };
        cmd.SetAction(pr => CliErrors.Run(() => Fetch(pr.GetValue(name)!, pr.GetValue(outDir)!, pr.GetValue(archive))));
        return cmd;
    }

    internal static int Prepare(string kind, string outDir, string? source, int clips, long seed, string rendererName,
                                int sampleRate, string soundFont, int threads, string? cache, bool resampleAudio = false)
    {
        kind = kind.Trim().ToLowerInvariant();
        if (!Kinds.Contains(kind))
            throw new DatasetException($"unknown dataset kind '{kind}' (expected one of: {string.Join(", ", Kinds)})");
        if (kind == "feedback")
            return PrepareFeedback(outDir, source, seed, null, new RenditionPlanOptions().Renditions, null, new FeedbackCorpusOptions().ExcerptSeconds,
                                   sampleRate, soundFont, threads, cache);
        if (kind != "synthetic" && string.IsNullOrWhiteSpace(source))
            throw new DatasetException($"`data prepare {kind}` needs --source <folder>");
        // Options and paths are checked before the dataset is loaded or generated.
        var options = new PrepareOptions { OutputDirectory = outDir, Threads = threads, CacheDirectory = cache, SampleRate = resampleAudio ? sampleRate : null };
        AsFlags("data prepare", options.Validate);
        OutputPathException.CheckFolder(outDir, "--out folder");
        if (cache is not null) OutputPathException.CheckFolder(cache, "--cache folder");
        if (rendererName.Trim().ToLowerInvariant() is not ("builtin" or "fluidsynth"))
            throw new OptionsValidationException("--renderer", [$"--renderer = '{rendererName}' must be builtin or fluidsynth"]);
        var dataset = kind switch
        {
            "synthetic" => SyntheticCorpus.Create(new SyntheticCorpusOptions { Clips = clips, Seed = seed }),
            "emopia" => EmopiaDataset.Load(source!),
            "vgmidi" => VgmidiDataset.Load(source!),
            _ => FolderDataset.Load(source!),
        };
        IMidiRenderer? renderer = dataset.Clips.Any(c => c.AudioPath is null) ? CreateRenderer(rendererName, sampleRate, soundFont) : null;
        Console.Error.WriteLine($"preparing {dataset.Name}: {dataset.Clips.Count} clips → {Path.GetFullPath(outDir)}" +
                                (renderer is null ? "" : $" (renderer {renderer.Name}, {renderer.SampleRate} Hz, {threads} threads)"));
        var result = ConsoleProgress.Run($"{dataset.Name}", dataset.Clips.Count, "clips",
            tick => DatasetPreparer.Prepare(dataset, renderer, options, _ => tick()));
        PrintSummary(result, outDir);
        return 0;
    }

    /// <summary><c>data prepare feedback</c>: build the teaching-feedback corpus and render it with every renderer.</summary>
    internal static int PrepareFeedback(string outDir, string? source, long seed, string? rendererList, int renditions, int? maxPieces,
                                        double excerptSeconds, int sampleRate, string soundFont, int threads, string? cache)
    {
        bool synthetic = string.IsNullOrWhiteSpace(source) || source.Trim().Equals("synthetic", StringComparison.OrdinalIgnoreCase);
        var options = new FeedbackCorpusOptions
        {
            Seed = seed,
            ExcerptSeconds = excerptSeconds,
            MaxPieces = synthetic ? null : maxPieces,
            Plan = new RenditionPlanOptions { Renditions = renditions },
            Threads = threads,
        };
        AsFlags("data prepare feedback", options.Validate);
        var prepare = new PrepareOptions { OutputDirectory = outDir, Threads = threads, CacheDirectory = cache };
        AsFlags("data prepare feedback", prepare.Validate);
        OutputPathException.CheckFolder(outDir, "--out folder");
        if (cache is not null) OutputPathException.CheckFolder(cache, "--cache folder");
        var renderers = FeedbackRenderers.Parse(rendererList ?? (synthetic ? "builtin,builtin-upright" : "builtin,fluidsynth"), sampleRate, soundFont);
        var dataset = synthetic
            ? SyntheticCorpus.Create(FeedbackCorpus.EmbeddedSourceOptions with { Clips = maxPieces ?? FeedbackCorpus.EmbeddedSourceOptions.Clips, Seed = seed })
            : LoadFeedbackSource(source!);
        Console.Error.WriteLine($"building the teaching-feedback corpus from {dataset.Name} ({dataset.Clips.Count} pieces{(maxPieces is { } m && !synthetic ? $", at most {m} used" : "")}, {renditions} renditions each, seed {seed})");
        var draft = FeedbackCorpus.Build(dataset, options);
        int renders = (draft.References.Count + draft.Renditions.Count) * renderers.Count;
        Console.Error.WriteLine($"rendering {draft.References.Count} references and {draft.Renditions.Count} renditions with {string.Join(", ", renderers.Select(r => r.Name))} → {Path.GetFullPath(outDir)} ({threads} threads)");
        var result = ConsoleProgress.Run("feedback", renders, "renders", tick => FeedbackCorpusPreparer.Prepare(draft, renderers, prepare, _ => tick()));
        PrintFeedbackSummary(result, outDir);
        return 0;
    }

    /// <summary>Option properties → the flags that set them, so that a refusal names what the user typed.</summary>
    private static readonly (string Property, string Flag)[] Flags =
        [("Threads", "--threads"), ("OutputDirectory", "--out"), ("ExcerptSeconds", "--excerpt-seconds"), ("MaxPieces", "--max-pieces"), ("Renditions", "--renditions")];

    /// <summary>Runs an options record's <c>Validate</c> and reports its problems under the command's flags.</summary>
    private static void AsFlags(string command, Action validate)
    {
        try { validate(); }
        catch (OptionsValidationException e)
        {
            throw new OptionsValidationException(command, e.Problems.Select(p =>
                Flags.FirstOrDefault(f => p.StartsWith(f.Property + " ", StringComparison.Ordinal)) is { Flag: { } flag } f
                    ? $"{flag} ({f.Property}){p[f.Property.Length..]}" : p).ToArray());
        }
    }

    /// <summary>An EMOPIA (label.csv + midis/) or VGMIDI (vgmidi_labelled.csv) folder.</summary>
    private static Dataset LoadFeedbackSource(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DatasetException($"feedback source folder not found: {folder} (expected an EMOPIA or VGMIDI folder, or \"synthetic\")");
        if (File.Exists(Path.Combine(folder, "label.csv"))) return EmopiaDataset.Load(folder);
        if (File.Exists(Path.Combine(folder, VgmidiDataset.LabelFile))) return VgmidiDataset.Load(folder);
        throw new DatasetException($"feedback source {folder} is neither an EMOPIA folder (label.csv, midis/) nor a VGMIDI folder ({VgmidiDataset.LabelFile}, phrases/)");
    }

    private static void PrintFeedbackSummary(FeedbackPrepareResult r, string outDir)
    {
        var inv = CultureInfo.InvariantCulture;
        var l = r.Labels;
        int clips = r.Manifest.Clips.Count;
        if (r.UpToDate)
            Console.WriteLine($"feedback: up to date ({l.Renditions.Count} renditions, {clips} clips, nothing rendered, checked in {r.Elapsed.TotalSeconds.ToString("F1", inv)} s)");
        else
            Console.WriteLine($"feedback: {l.References.Count} references, {l.Renditions.Count} renditions × {l.Renderers.Count} renderers = {clips} clips in {r.Elapsed.TotalSeconds.ToString("F1", inv)} s — " +
                              $"rendered {r.Count(PrepareAction.Rendered)}, from cache {r.Count(PrepareAction.FromCache)}, unchanged {r.Count(PrepareAction.UpToDate)}");
        Console.WriteLine($"  dominant issue  {string.Join("  ", l.IssueClasses.Select(c => $"{c} {l.Renditions.Count(x => x.DominantIssue == c)}"))}");
        Console.WriteLine($"  clean renditions {l.Renditions.Count(x => x.Clean)}, with 2 deviations {l.Renditions.Count(x => x.Deviations.Count == 2)}, " +
                          $"local deviations {l.Renditions.Sum(x => x.Deviations.Count(d => d.Localised))} of {l.Renditions.Sum(x => x.Deviations.Count)}");
        Console.WriteLine($"  groups {l.References.Select(x => x.Group).Distinct().Count()}, renderers {string.Join(", ", l.Renderers.Keys)}");
        Console.WriteLine($"  {Path.Combine(outDir, Manifest.FileName)} + {FeedbackLabelsFile.FileName} (corpus hash {l.CorpusHash[..16]})");
    }

    internal static IMidiRenderer CreateRenderer(string name, int sampleRate, string soundFont) => name.Trim().ToLowerInvariant() switch
    {
        "builtin" => new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = sampleRate }),
        "fluidsynth" => new FluidSynthRenderer(new FluidSynthOptions { SampleRate = sampleRate, SoundFont = soundFont }),
        _ => throw new OptionsValidationException("--renderer", [$"--renderer = '{name}' must be builtin or fluidsynth"]),
    };

    private static void PrintSummary(PrepareResult r, string outDir)
    {
        var m = r.Manifest;
        var inv = CultureInfo.InvariantCulture;
        if (r.UpToDate)
            Console.WriteLine($"{m.Name}: up to date ({m.Clips.Count} clips, nothing rendered, checked in {r.Elapsed.TotalSeconds.ToString("F1", inv)} s)");
        else
            Console.WriteLine($"{m.Name}: {m.Clips.Count} clips in {r.Elapsed.TotalSeconds.ToString("F1", inv)} s — rendered {r.Count(PrepareAction.Rendered)}, " +
                              $"from cache {r.Count(PrepareAction.FromCache)}, copied {r.Count(PrepareAction.Copied)}, resampled {r.Count(PrepareAction.Resampled)}, unchanged {r.Count(PrepareAction.UpToDate)}");
        var splits = new[] { "train", "val", "test", "none" }.Where(s => m.SplitCounts.ContainsKey(s)).ToArray();
        Console.WriteLine("  class  " + string.Join("", splits.Select(s => s.PadLeft(7))) + "  total");
        foreach (var c in m.ClassNames)
            Console.WriteLine("  " + c.PadRight(6) + " " + string.Join("", splits.Select(s => m.Clips.Count(x => x.Label == c && (x.Split ?? "none") == s).ToString(inv).PadLeft(7)))
                              + m.ClassCounts[c].ToString(inv).PadLeft(7));
        Console.WriteLine($"  groups {m.Clips.Select(c => c.Group).Distinct().Count()}, manifest {Path.Combine(outDir, Manifest.FileName)} (hash {m.ManifestHash[..16]})");
    }

    internal static int Fetch(string name, string outDir, string? archive)
    {
        if (!string.Equals(name.Trim(), "emopia", StringComparison.OrdinalIgnoreCase))
            throw new DatasetException($"unknown dataset '{name}' for fetch (only emopia can be fetched; VGMIDI and your own folders are used in place)");
        OutputPathException.CheckFolder(outDir, "--out folder");
        if (archive is not null) CliPaths.RequireFile(archive, "--archive", "the EMOPIA_1.0.zip archive");
        string zip = archive ?? DownloadWithProgress(outDir);
        var ds = EmopiaArchive.Install(zip, outDir, out bool installed);
        Console.WriteLine(installed
            ? $"emopia: installed {ds.Clips.Count} clips from {zip} into {Path.GetFullPath(outDir)}"
            : $"emopia: already present in {Path.GetFullPath(outDir)} ({ds.Clips.Count} clips); nothing to do");
        return 0;
    }

    private static string DownloadWithProgress(string outDir)
    {
        if (File.Exists(Path.Combine(outDir, "label.csv"))) return Path.Combine(outDir, "(already installed)");
        var downloads = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outDir))!, "downloads");
        Console.Error.WriteLine($"fetching the EMOPIA record from {EmopiaArchive.EffectiveRecordUrl}");
        long lastMb = -1;
        return EmopiaArchive.Download(downloads, (done, total) =>
        {
            long mb = done >> 24; // report every 16 MiB
            if (mb == lastMb) return;
            lastMb = mb;
            Console.Error.WriteLine(total is { } t ? $"  {done >> 20} / {t >> 20} MiB" : $"  {done >> 20} MiB");
        });
    }
}
