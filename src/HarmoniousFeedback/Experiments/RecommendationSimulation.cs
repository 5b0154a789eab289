using System.Globalization;
using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.Recommendation;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using DeterministicRandom = HarmoniousFeedback.Data.DeterministicRandom;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The emotion-aware recommender evaluated with simulated listeners (docs/multimodal.md, "Recommender simulation"):
/// <list type="number">
/// <item>the clips' songs are split in two halves, stratified by emotion (<see cref="RepeatedCrossValidator.StratifiedGroupKFold"/>,
/// 2 folds, the options' seed): the emotion estimator (a 3-layer LSTM + attention on min–max-normalised feature sequences,
/// normaliser fitted on its half) is trained on one half, the other half is the catalog;</item>
/// <item>the catalog's true emotions drive <see cref="ListeningSimulator"/>; the service only knows the estimator's
/// prediction for each catalog piece;</item>
/// <item>after every week w &lt; W − 1 of every user, each recommender (<see cref="EmotionRecommender"/>,
/// <see cref="EmotionPopularityRecommender"/> with the profile or the played pieces' emotion, also personal, the personal-popularity
/// baseline, <see cref="PopularityRecommender"/>, <see cref="RandomRecommender"/>) ranks the catalog; HitRate@k and NDCG@k are taken
/// against week w + 1's play counts (user-weeks without plays in week w + 1 are skipped); then the accept/reject loop runs
/// with week w + 1's latent mood — up to <c>Rounds</c> offers, the user accepting each with AcceptMatch/AcceptMismatch —
/// with common random numbers (the same uniform draw per user, week and round for every recommender).</item>
/// </list>
/// Differences to popularity come with a paired bootstrap 95 % CI over users.
/// </summary>
public static class RecommendationSimulation
{
    /// <param name="sequences">Feature sequence of every clip (e.g. LLD segments [T × 50]).</param>
    /// <param name="labels">Emotion label of every clip (Q1 … Q4).</param>
    /// <param name="groups">Song of every clip (a song's clips stay on one side of the split).</param>
    /// <param name="options">Simulation, recommender and evaluation settings.</param>
    /// <param name="observer">Receives the estimator's training epochs.</param>
    public static RecommendationSimulationResult Run(IReadOnlyList<FeatureMatrix> sequences, IReadOnlyList<string> labels, IReadOnlyList<string> groups,
                                                     RecommendationSimulationOptions options, IProgress<EpochReport>? observer = null)
    {
        options.Validate();
        if (sequences.Count != labels.Count || labels.Count != groups.Count)
            throw new DatasetException($"recommender simulation: {sequences.Count} sequences, {labels.Count} labels, {groups.Count} groups must be equal");
        var classes = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var split = RepeatedCrossValidator.StratifiedGroupKFold(2, 1, options.Seed).Split(labels.Count, labels, groups)[0];
        var trainIdx = split.Train;
        var catalogIdx = split.Test;

        var normaliser = MinMaxNormalizer.Fit(trainIdx.Select(i => sequences[i]));
        var normalised = sequences.Select(normaliser.Transform).ToArray();
        var table = new DataTable([
            new DataColumn<FeatureMatrix>("Sequence", ColumnType.Sequence(sequences[0].Columns), trainIdx.Select(i => normalised[i]).ToArray()),
            new DataColumn<string>("Label", ColumnType.String, trainIdx.Select(i => labels[i]).ToArray()),
            new DataColumn<string>("Group", ColumnType.String, trainIdx.Select(i => groups[i]).ToArray()),
        ]);
        var fitted = new LstmClassifierTrainer(new MulticlassColumns("Sequence", "Label"), options.Classifier, options.Seed) { Observer = observer }.Fit(table);
        var model = fitted.Model;
        var classOrder = model.Classes.Select(c => Array.IndexOf(classes, c)).ToArray();
        float[] Estimate(FeatureMatrix m)
        {
            var p = new float[model.Classes.Count];
            model.PredictProbabilities(m, p);
            var byClass = new float[classes.Length];
            for (int k = 0; k < p.Length; k++) byClass[classOrder[k]] = p[k];
            return byClass;
        }

        var catalog = catalogIdx.Select(i => normalised[i]).ToArray();
        var trueEmotion = catalogIdx.Select(i => Array.IndexOf(classes, labels[i])).ToArray();
        var catalogProbabilities = catalog.Select(Estimate).ToArray();
        var predicted = catalogProbabilities.Select(ArgMax).ToArray();
        var simulator = new ListeningSimulator(trueEmotion, classes.Length, options.Simulation);
        var log = simulator.Simulate();

        var emotion = new EmotionRecommender(log, catalog, predicted, Estimate, options.TopK);
        var playedEmotion = EmotionPopularityRecommender.PlayedPieceEmotion(log, catalogProbabilities);
        EmotionPopularityRecommender[] hybrids =
        [
            new(log, catalogProbabilities, emotion.EstimateEmotion, name: "Emotion × popularity (profile LSTM+AM)"),
            new(log, catalogProbabilities, playedEmotion, name: "Emotion × popularity (played pieces)"),
            new(log, catalogProbabilities, playedEmotion, personal: true, name: "Emotion × personal popularity (played pieces)"),
            EmotionPopularityRecommender.PersonalPopularity(log, catalog.Length),
        ];
        var popularity = new PopularityRecommender(log, catalog.Length);
        IPieceRecommender[] recommenders = [emotion, .. hybrids, popularity, new RandomRecommender(catalog.Length, options.Simulation.Seed)];
        int pop = Array.IndexOf(recommenders, popularity);
        int users = log.Users, weeks = log.Weeks, k = options.ListLength;
        // per recommender, per user: list of (hit, ndcg, firstAccepted, accepted, offers) over that user's evaluated weeks
        var perUser = recommenders.Select(_ => Enumerable.Range(0, users).Select(_ => new List<double[]>()).ToArray()).ToArray();
        int estimated = 0, correctNow = 0, correctNext = 0;
        for (int u = 0; u < users; u++)
            for (int w = 0; w < weeks - 1; w++)
            {
                var next = log.Plays[u][w + 1];
                if (next.Count == 0) continue;
                var relevance = next.ToDictionary(kv => kv.Key, kv => (double)kv.Value);
                int mood = log.Moods[u][w + 1];
                var draws = DeterministicRandom.For(options.Simulation.Seed, "accept", (long)u * weeks + w);
                var uniforms = Enumerable.Range(0, options.Rounds).Select(_ => draws.NextDouble()).ToArray();
                if (emotion.EstimateEmotion(u, w) is { } p)
                {
                    estimated++;
                    if (ArgMax(p) == log.Moods[u][w]) correctNow++;
                    if (ArgMax(p) == mood) correctNext++;
                }
                for (int r = 0; r < recommenders.Length; r++)
                {
                    var list = recommenders[r].Rank(u, w, k);
                    double hit = RankingMetrics.HitRate(list, i => relevance.GetValueOrDefault(i), k);
                    double ndcg = RankingMetrics.Ndcg(list, relevance, k);
                    var rejected = new List<int>();
                    bool accepted = false, first = false;
                    int offers = 0;
                    for (int round = 0; round < options.Rounds && !accepted; round++)
                    {
                        int piece = recommenders[r].NextOffer(u, w, rejected);
                        offers++;
                        double pAccept = trueEmotion[piece] == mood ? options.Simulation.AcceptMatch : options.Simulation.AcceptMismatch;
                        if (uniforms[round] < pAccept) { accepted = true; first = round == 0; }
                        else rejected.Add(piece);
                    }
                    perUser[r][u].Add([hit, ndcg, first ? 1 : 0, accepted ? 1 : 0, offers]);
                }
            }

        if (perUser[0].All(l => l.Count == 0))
            throw new DatasetException(string.Create(CultureInfo.InvariantCulture,
                $"recommender simulation: no user played anything in weeks 1 … {weeks - 1}, so no recommendation can be scored ({users} users, {options.Simulation.PlaysPerWeek} plays a week on average); raise the users, weeks or plays per week"));
        var scores = new List<RecommenderScore>();
        for (int r = 0; r < recommenders.Length; r++)
        {
            var all = perUser[r].SelectMany(l => l).ToArray();
            double Mean(int j) => all.Length == 0 ? 0 : all.Average(v => v[j]);
            var score = new RecommenderScore(recommenders[r].Name, Mean(0), Mean(1), Mean(2), Mean(3), Mean(4));
            if (r != pop)
                score = score with
                {
                    HitRateVsPopularity = PairedDifference(perUser[r], perUser[pop], 0, options.Bootstrap, options.Seed),
                    NdcgVsPopularity = PairedDifference(perUser[r], perUser[pop], 1, options.Bootstrap, options.Seed),
                    AcceptanceVsPopularity = PairedDifference(perUser[r], perUser[pop], 3, options.Bootstrap, options.Seed),
                };
            scores.Add(score);
        }
        // what the emotion adds on top of the user's own history: emotion × personal popularity − personal popularity
        int personalEmotion = Array.IndexOf(recommenders, hybrids[2]), personalOnly = Array.IndexOf(recommenders, hybrids[3]);
        return new RecommendationSimulationResult
        {
            EmotionOverPersonal = (PairedDifference(perUser[personalEmotion], perUser[personalOnly], 0, options.Bootstrap, options.Seed),
                                   PairedDifference(perUser[personalEmotion], perUser[personalOnly], 1, options.Bootstrap, options.Seed)),
            Fits = hybrids.Select(h => new FittedRecommender(h.Name,
                [.. Enumerable.Range(0, Math.Max(0, weeks - 1)).Select(h.MoodLift)], [.. Enumerable.Range(0, Math.Max(0, weeks - 1)).Select(h.PersonalWeight)])).ToArray(),
            Scores = scores, Options = options, Classes = classes, CatalogSize = catalog.Length, ClassifierTrainingClips = trainIdx.Length,
            CatalogAccuracy = predicted.Zip(trueEmotion).Count(t => t.First == t.Second) / (double)catalog.Length,
            UserWeeks = perUser[0].Sum(l => l.Count), EstimatedUserWeeks = estimated,
            EmotionAccuracyThisWeek = estimated == 0 ? 0 : correctNow / (double)estimated,
            EmotionAccuracyNextWeek = estimated == 0 ? 0 : correctNext / (double)estimated,
        };
    }

    /// <summary>
    /// Mean over user-weeks of metric <paramref name="j"/> (a − b), and a 95 % percentile bootstrap CI resampling users
    /// (all of a user's weeks together), seeded.
    /// </summary>
    internal static (double Mean, double Lower, double Upper) PairedDifference(List<double[]>[] a, List<double[]>[] b, int j, int resamples, int seed)
    {
        var users = Enumerable.Range(0, a.Length).Where(u => a[u].Count > 0).ToArray();
        var sums = users.Select(u => a[u].Zip(b[u]).Sum(t => t.First[j] - t.Second[j])).ToArray();
        var counts = users.Select(u => a[u].Count).ToArray();
        double mean = counts.Sum() == 0 ? 0 : sums.Sum() / counts.Sum();
        if (resamples == 0 || users.Length == 0) return (mean, mean, mean);
        var r = DeterministicRandom.For(seed, "recommender-bootstrap", j);
        var stats = new double[resamples];
        for (int s = 0; s < resamples; s++)
        {
            double num = 0, den = 0;
            for (int i = 0; i < users.Length; i++)
            {
                int pick = r.Next(0, users.Length);
                num += sums[pick];
                den += counts[pick];
            }
            stats[s] = den == 0 ? 0 : num / den;
        }
        Array.Sort(stats);
        return (mean, stats[(int)Math.Floor(0.025 * (resamples - 1))], stats[(int)Math.Ceiling(0.975 * (resamples - 1))]);
    }

    private static int ArgMax(float[] p)
    {
        int best = 0;
        for (int i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return best;
    }

    internal static string Pct(double v) => (100 * v).ToString("F1", CultureInfo.InvariantCulture);
}
