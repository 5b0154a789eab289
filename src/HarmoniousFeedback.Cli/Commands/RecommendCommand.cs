using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Experiments;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.Recommendation;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb recommend simulate</c>: the emotion-aware recommender (the piano-emotion paper's §3) against popularity and
/// random baselines with simulated listeners (<see cref="RecommendationSimulation"/>, docs/multimodal.md). Prepares the
/// dataset and its LLD segments like <c>hfb reproduce</c> (cached in <c>--data</c>), prints the table and writes
/// <c>table.*</c>, <c>recommender.svg</c> and <c>result.json</c> to <c>--out</c>.
/// </summary>
public static class RecommendCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "emopia, vgmidi or synthetic", DefaultValueFactory = _ => "emopia" };
        var source = new Option<string?>("--source") { Description = "dataset folder (default ../shared/datasets/<dataset>)" };
        var clips = new Option<int>("--clips") { Description = "synthetic corpus size", DefaultValueFactory = _ => 400 };
        var maxPerClass = new Option<int?>("--max-clips-per-class") { Description = "keep at most this many clips per class (whole songs; quick looks)" };
        var users = new Option<int>("--users") { Description = "simulated users", DefaultValueFactory = _ => new ListeningSimulationOptions().Users };
        var weeks = new Option<int>("--weeks") { Description = "simulated weeks per user", DefaultValueFactory = _ => new ListeningSimulationOptions().Weeks };
        var persistence = new Option<double>("--mood-persistence") { Description = "probability that a user's mood stays the same next week", DefaultValueFactory = _ => new ListeningSimulationOptions().MoodPersistence };
        var affinity = new Option<double>("--mood-affinity") { Description = "play-weight multiplier of pieces matching the mood", DefaultValueFactory = _ => new ListeningSimulationOptions().MoodAffinity };
        var plays = new Option<double>("--plays-per-week") { Description = "mean plays per user and week", DefaultValueFactory = _ => new ListeningSimulationOptions().PlaysPerWeek };
        var topK = new Option<int>("--top-k") { Description = "most played pieces of the week that form the emotion profile", DefaultValueFactory = _ => 3 };
        var k = new Option<int>("--k") { Description = "list length for HitRate@k and NDCG@k", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "offers per session in the accept/reject loop", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int?>("--epochs") { Description = "maximum epochs of the 3-layer LSTM+AM emotion estimator (default: the tuned preset's)" };
        var seed = new Option<int>("--seed") { Description = "seed of the simulation, the song split and the estimator", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("results", "recommend") };
        var data = new Option<string>("--data") { Description = "data root folder (prepared datasets and caches)", DefaultValueFactory = _ => "data" };
        var threads = new Option<int>("--threads") { Description = "worker threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var simulate = new Command("simulate", "Emotion-aware recommendation vs popularity and random with simulated listeners: HitRate@k, NDCG@k, acceptance")
        {
            dataset, source, clips, maxPerClass, users, weeks, persistence, affinity, plays, topK, k, rounds, epochs, seed, output, data, threads,
        };
        simulate.SetAction(p =>
        {
            var sim = new ListeningSimulationOptions
            {
                Users = p.GetValue(users), Weeks = p.GetValue(weeks), MoodPersistence = p.GetValue(persistence), MoodAffinity = p.GetValue(affinity),
                PlaysPerWeek = p.GetValue(plays), Seed = p.GetValue(seed),
            };
            var defaults = new RecommendationSimulationOptions();
            var options = defaults with
            {
                Simulation = sim,
                TopK = p.GetValue(topK),
                ListLength = p.GetValue(k),
                Rounds = p.GetValue(rounds),
                Seed = p.GetValue(seed),
                Classifier = p.GetValue(epochs) is int e ? defaults.Classifier with { MaxEpochs = e } : defaults.Classifier,
            };
            var problems = new List<string>();
            try { options.Validate(); }
            catch (OptionsValidationException ex) { problems.AddRange(ex.Problems); }
            var kind = p.GetValue(dataset)!.ToLowerInvariant();
            if (kind is not ("emopia" or "vgmidi" or "synthetic")) problems.Add($"--dataset = '{kind}' is not known (allowed: emopia, vgmidi, synthetic)");
            if (p.GetValue(threads) < 1) problems.Add($"--threads = {p.GetValue(threads)} must be >= 1");
            if (problems.Count > 0) throw new OptionsValidationException("hfb recommend simulate", problems);
            return Run(kind, p.GetValue(source), p.GetValue(clips), p.GetValue(maxPerClass), options, p.GetValue(output)!, p.GetValue(data)!, p.GetValue(threads));
        });
        return new Command("recommend", "Emotion-aware music recommendation") { simulate };
    }

    internal static int Run(string kind, string? source, int clips, int? maxPerClass, RecommendationSimulationOptions options, string output, string data, int threads)
    {
        var sw = Stopwatch.StartNew();
        var spec = new ExperimentSpec
        {
            Name = "recommend-simulate",
            Dataset = new DatasetSpec
            {
                Kind = Enum.Parse<DatasetKind>(kind, ignoreCase: true),
                Source = kind == "synthetic" ? null : Path.GetFullPath(source ?? Path.Combine("..", "shared", "datasets", kind)),
                Clips = clips, MaxClipsPerClass = maxPerClass,
            },
            Models = [new ModelSpec { Name = "features only", Type = "logreg" }],
            Evaluations = [new EvaluationSpec { Scheme = EvaluationScheme.GroupedKfold }],
        };
        var log = new StageLog();
        var runner = new ExperimentRunner(spec, new RunnerOptions { DataRoot = data, ResultsRoot = Path.Combine(output, "prepare"), Threads = threads }, log);
        var prepared = runner.Prepare();
        var sequences = prepared.Table.Column<FeatureMatrix>(ExperimentPlan.ColumnOf("lld")).ToArray();
        var labels = prepared.Table.Column<string>("Label").ToArray();
        var groups = prepared.Table.Column<string>("Group").ToArray();
        log.Stage($"training the 3-layer LSTM+AM emotion estimator and simulating {options.Simulation.Users} users × {options.Simulation.Weeks} weeks");
        var result = RecommendationSimulation.Run(sequences, labels, groups, options);

        Directory.CreateDirectory(output);
        var table = result.ToTable();
        table.SaveAll(output, "table");
        result.ToFigure().SaveSvg(Path.Combine(output, "recommender.svg"));
        var json = new JsonObject
        {
            ["dataset"] = prepared.Train.Name,
            ["clips"] = labels.Length,
            ["catalog"] = result.CatalogSize,
            ["userWeeks"] = result.UserWeeks,
            ["catalogAccuracy"] = result.CatalogAccuracy,
            ["emotionAccuracyThisWeek"] = result.EmotionAccuracyThisWeek,
            ["emotionAccuracyNextWeek"] = result.EmotionAccuracyNextWeek,
            ["emotionOverPersonal"] = new JsonObject { ["hitRate"] = Interval(result.EmotionOverPersonal.HitRate), ["ndcg"] = Interval(result.EmotionOverPersonal.Ndcg) },
            ["fitted"] = new JsonArray(result.Fits.Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name,
                ["moodLift"] = new JsonArray(f.MoodLift.Select(l => (JsonNode)l).ToArray()),
                ["personalWeight"] = new JsonArray(f.PersonalWeight.Select(l => (JsonNode)l).ToArray()),
            }).ToArray()),
            ["options"] = JsonSerializer.SerializeToNode(options, ExperimentSpec.Json),
            ["recommenders"] = new JsonArray(result.Scores.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name, ["hitRate"] = s.HitRate, ["ndcg"] = s.Ndcg, ["firstOfferAcceptance"] = s.FirstOfferAcceptance,
                ["acceptance"] = s.Acceptance, ["meanOffers"] = s.MeanOffers,
                ["hitRateVsPopularity"] = Interval(s.HitRateVsPopularity), ["ndcgVsPopularity"] = Interval(s.NdcgVsPopularity),
                ["acceptanceVsPopularity"] = Interval(s.AcceptanceVsPopularity),
            }).ToArray()),
            ["seconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1),
        };
        File.WriteAllText(Path.Combine(output, "result.json"), json.ToJsonString(new JsonSerializerOptions { TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver, WriteIndented = true }) + "\n");
        Console.WriteLine(table.ToMarkdown());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"output: {Path.GetFullPath(output)} ({sw.Elapsed.TotalSeconds:F1} s)"));
        return 0;
    }

    private static JsonNode? Interval((double Mean, double Lower, double Upper)? d) =>
        d is { } v ? new JsonObject { ["mean"] = v.Mean, ["lower"] = v.Lower, ["upper"] = v.Upper } : null;

    private sealed class StageLog : IExperimentObserver
    {
        private readonly Stopwatch _sw = Stopwatch.StartNew();
        private long _last;

        public void Stage(string message) => Console.Error.WriteLine($"[{ConsoleProgress.Elapsed(_sw.Elapsed)}] {message}");

        public void Progress(string task, int done, int total)
        {
            long now = _sw.ElapsedMilliseconds;
            if (done != total && now - Interlocked.Read(ref _last) < 2000) return;
            Interlocked.Exchange(ref _last, now);
            Console.Error.WriteLine($"[{ConsoleProgress.Elapsed(_sw.Elapsed)}] {task}: {done}/{total}");
        }

        public void UnitFinished(string scheme, string model, int repeat, int fold, int done, int total, bool reused, double accuracy) { }
    }
}
