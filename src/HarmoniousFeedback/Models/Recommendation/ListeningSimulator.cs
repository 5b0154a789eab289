using HarmoniousFeedback.Data;

namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>
/// Simulated listeners with latent moods (the recommender paper's §3 evaluated without real users). Generative model,
/// every draw from seeded <see cref="DeterministicRandom"/> streams (one per user and purpose, so a user's history does not
/// depend on how many other users exist):
/// <list type="number">
/// <item>piece i has a true emotion e_i ∈ {0 … E−1} (the dataset's label; the recommender never sees it) and a global
/// popularity π_i = exp(σ_p·N(0, 1));</item>
/// <item>user u has an activity λ_u = PlaysPerWeek·exp(0.5·N(0, 1) − 0.125) (mean PlaysPerWeek) and a taste
/// a_ui = exp(σ_t·N(0, 1)) for every piece;</item>
/// <item>mood: m_u,0 uniform over the E emotions; m_u,w+1 = m_u,w with probability ρ, else an adjacent quadrant (sharing
/// valence or arousal; EMOPIA's Q1 ↔ Q2 ↔ Q3 ↔ Q4 ↔ Q1) with probability AdjacentDrift, else the opposite one (for E ≠ 4:
/// any other emotion uniformly);</item>
/// <item>week w: N_u,w ~ Poisson(λ_u) plays, each of piece i with probability ∝ π_i · a_ui · (β if e_i = m_u,w else 1).</item>
/// </list>
/// The recommender sees only the play counts; moods are latent. <see cref="Accepts"/> is the user's answer to an offer.
/// </summary>
public sealed class ListeningSimulator
{
    private readonly int[] _emotions;
    private readonly int _emotionCount;

    /// <param name="pieceEmotions">True emotion index of every catalog piece.</param>
    /// <param name="emotionCount">E, the number of emotions (4 quadrants).</param>
    /// <param name="options">The generative model's parameters and seed.</param>
    public ListeningSimulator(IReadOnlyList<int> pieceEmotions, int emotionCount, ListeningSimulationOptions options)
    {
        options.Validate();
        if (pieceEmotions.Count == 0) throw new DatasetException("the recommender simulation needs a catalog of at least one piece");
        if (emotionCount < 2) throw new DatasetException($"the recommender simulation needs at least 2 emotions, got {emotionCount}");
        foreach (var e in pieceEmotions)
            if (e < 0 || e >= emotionCount) throw new DatasetException($"piece emotion {e} outside [0, {emotionCount})");
        _emotions = [.. pieceEmotions];
        _emotionCount = emotionCount;
        Options = options;
        var r = DeterministicRandom.For(options.Seed, "popularity", 0);
        Popularity = _emotions.Select(_ => Math.Exp(options.PopularitySigma * r.NextGaussian())).ToArray();
    }

    public ListeningSimulationOptions Options { get; }
    /// <summary>π_i of every piece.</summary>
    public IReadOnlyList<double> Popularity { get; }
    public IReadOnlyList<int> PieceEmotions => _emotions;

    /// <summary>Simulates every user's moods and weekly plays.</summary>
    public ListeningLog Simulate()
    {
        var plays = new IReadOnlyList<IReadOnlyDictionary<int, int>>[Options.Users];
        var moods = new int[Options.Users][];
        Parallel.For(0, Options.Users, new ParallelOptions { MaxDegreeOfParallelism = 2 }, u =>
        {
            var rMood = DeterministicRandom.For(Options.Seed, "mood", u);
            var rTaste = DeterministicRandom.For(Options.Seed, "taste", u);
            var rPlay = DeterministicRandom.For(Options.Seed, "plays", u);
            double activity = Options.PlaysPerWeek * Math.Exp(0.5 * rTaste.NextGaussian() - 0.125);
            var baseWeight = new double[_emotions.Length];
            for (int i = 0; i < baseWeight.Length; i++) baseWeight[i] = Popularity[i] * Math.Exp(Options.TasteSigma * rTaste.NextGaussian());
            var m = moods[u] = new int[Options.Weeks];
            m[0] = rMood.Next(0, _emotionCount);
            for (int w = 1; w < Options.Weeks; w++) m[w] = NextMood(m[w - 1], rMood);
            var weeks = new IReadOnlyDictionary<int, int>[Options.Weeks];
            var cdf = new double[_emotions.Length];
            for (int w = 0; w < Options.Weeks; w++)
            {
                double acc = 0;
                for (int i = 0; i < cdf.Length; i++) cdf[i] = acc += baseWeight[i] * (_emotions[i] == m[w] ? Options.MoodAffinity : 1);
                int n = Poisson(activity, rPlay);
                var counts = new Dictionary<int, int>();
                for (int k = 0; k < n; k++)
                {
                    int i = Array.BinarySearch(cdf, rPlay.NextDouble() * acc);
                    if (i < 0) i = ~i;
                    i = Math.Min(i, cdf.Length - 1);
                    counts[i] = counts.GetValueOrDefault(i) + 1;
                }
                weeks[w] = counts;
            }
            plays[u] = weeks;
        });
        return new ListeningLog(plays, moods);
    }

    /// <summary>Whether the user in mood <paramref name="mood"/> accepts piece <paramref name="piece"/> (probability AcceptMatch or AcceptMismatch).</summary>
    public bool Accepts(int piece, int mood, DeterministicRandom r) =>
        r.NextDouble() < (_emotions[piece] == mood ? Options.AcceptMatch : Options.AcceptMismatch);

    private int NextMood(int mood, DeterministicRandom r)
    {
        if (r.NextDouble() < Options.MoodPersistence) return mood;
        if (_emotionCount != 4)
        {
            int other = r.Next(0, _emotionCount - 1);
            return other >= mood ? other + 1 : other;
        }
        // quadrants on a ring Q1–Q2–Q3–Q4–Q1: ±1 shares valence or arousal, +2 is the opposite
        if (r.NextDouble() < Options.AdjacentDrift) return (mood + (r.NextDouble() < 0.5 ? 1 : 3)) % 4;
        return (mood + 2) % 4;
    }

    /// <summary>Poisson(λ) by inversion for λ ≤ 30, else a rounded normal approximation (λ + √λ·N(0, 1), at least 0).</summary>
    internal static int Poisson(double lambda, DeterministicRandom r)
    {
        if (lambda > 30) return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * r.NextGaussian()));
        double l = Math.Exp(-lambda), p = 1;
        int k = 0;
        do { k++; p *= r.NextDouble(); } while (p > l);
        return k - 1;
    }
}
