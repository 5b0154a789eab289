using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>
/// The emotion-aware recommender of the piano-emotion paper (§3): the user's current emotion is estimated from what they
/// listened to this week, and pieces of that emotion are recommended.
/// <list type="number">
/// <item>Profile: the <c>TopK</c> most played pieces of the user's week (ties: lower index), weighted by their play
/// counts c_j, give one feature sequence — step by step, P[t] = Σ_{j: T_j &gt; t} c_j·S_j[t] / Σ_{j: T_j &gt; t} c_j
/// (<see cref="WeightedAverage"/>; S_j [T_j × F], P [max T_j × F]).</item>
/// <item>Emotion: the estimator (the paper's 3-layer LSTM + attention, trained on other pieces) maps P to p(e), e = 1 … E.</item>
/// <item>Ranking: pieces ordered by the estimated probability of their own (predicted) emotion — all pieces of the most
/// probable emotion first — then by plays of all users through this week (popularity), then by index.</item>
/// <item>Accept/reject: after a rejection, the rejected piece's emotion is ruled out (p(e) := 0) and the emotion
/// re-estimated as the most probable remaining one; the next offer is its best piece not offered yet. When every emotion
/// has been ruled out the offers fall back to popularity.</item>
/// </list>
/// A week without plays gives no profile: the ranking is then popularity (and the estimate is reported as missing).
/// </summary>
public sealed class EmotionRecommender : IPieceRecommender
{
    private readonly ListeningLog _log;
    private readonly IReadOnlyList<FeatureMatrix> _sequences;
    private readonly IReadOnlyList<int> _pieceEmotion;
    private readonly Func<FeatureMatrix, float[]> _estimate;
    private readonly PopularityRecommender _popularity;
    private readonly Dictionary<(int, int), float[]?> _cache = new();
    private readonly Lock _gate = new();

    /// <param name="log">The listening log (play counts only are read).</param>
    /// <param name="pieceSequences">Feature sequence of every catalog piece (as the estimator expects them, e.g. normalised LLD [T × 50]).</param>
    /// <param name="predictedPieceEmotions">The estimator's emotion for every catalog piece (what the service believes; the true labels stay with the simulator).</param>
    /// <param name="estimate">Feature sequence → emotion probabilities [E].</param>
    /// <param name="topK">How many of the week's most played pieces form the profile.</param>
    public EmotionRecommender(ListeningLog log, IReadOnlyList<FeatureMatrix> pieceSequences, IReadOnlyList<int> predictedPieceEmotions,
                              Func<FeatureMatrix, float[]> estimate, int topK = 3)
    {
        if (pieceSequences.Count != predictedPieceEmotions.Count)
            throw new ShapeMismatchException($"{pieceSequences.Count} piece sequences but {predictedPieceEmotions.Count} piece emotions");
        if (topK < 1) throw new OptionsValidationException(nameof(EmotionRecommender), [$"topK = {topK} must be >= 1"]);
        _log = log;
        _sequences = pieceSequences;
        _pieceEmotion = predictedPieceEmotions;
        _estimate = estimate;
        TopK = topK;
        _popularity = new PopularityRecommender(log, pieceSequences.Count);
    }

    public string Name => "Emotion (LSTM+AM)";
    public int TopK { get; }

    /// <summary>p(e) for user <paramref name="user"/> from week <paramref name="week"/>'s listening, or null when the user played nothing that week.</summary>
    public float[]? EstimateEmotion(int user, int week)
    {
        lock (_gate)
            if (_cache.TryGetValue((user, week), out var hit)) return hit;
        var plays = _log.Plays[user][week];
        float[]? p = null;
        if (plays.Count > 0)
        {
            var top = plays.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(TopK).ToArray();
            p = _estimate(WeightedAverage(top.Select(kv => (_sequences[kv.Key], (double)kv.Value)).ToArray()));
        }
        lock (_gate) _cache[(user, week)] = p;
        return p;
    }

    public int[] Rank(int user, int week, int n) => Ordered(user, week, []).Take(n).ToArray();

    public int NextOffer(int user, int week, IReadOnlyList<int> rejected) => Ordered(user, week, rejected).First(i => !rejected.Contains(i));

    private IEnumerable<int> Ordered(int user, int week, IReadOnlyList<int> rejected)
    {
        var p = EstimateEmotion(user, week);
        var popular = _popularity.Order(week);
        if (p is null) return popular;
        var ruledOut = rejected.Select(i => _pieceEmotion[i]).ToHashSet();
        if (ruledOut.Count >= p.Length) return popular;
        var score = p.Select((v, e) => ruledOut.Contains(e) ? -1f : v).ToArray();
        var popRank = new int[popular.Length];
        for (int r = 0; r < popular.Length; r++) popRank[popular[r]] = r;
        return Enumerable.Range(0, _sequences.Count).OrderByDescending(i => score[_pieceEmotion[i]]).ThenBy(i => popRank[i]);
    }

    /// <summary>
    /// Step-wise weighted average of sequences of possibly different lengths: P[t] = Σ_{j: T_j &gt; t} w_j·S_j[t] / Σ_{j: T_j &gt; t} w_j,
    /// t &lt; max T_j. All sequences must have the same feature count; weights must be &gt; 0.
    /// </summary>
    public static FeatureMatrix WeightedAverage(IReadOnlyList<(FeatureMatrix Sequence, double Weight)> items)
    {
        if (items.Count == 0) throw new ShapeMismatchException("a weighted average needs at least one sequence");
        int f = items[0].Sequence.Columns, t = items.Max(i => i.Sequence.Rows);
        var sum = new double[t * f];
        var wsum = new double[t];
        foreach (var (s, w) in items)
        {
            if (s.Columns != f) throw new ShapeMismatchException($"sequences have {s.Columns} and {f} features");
            if (!(w > 0)) throw new ShapeMismatchException($"weight {w} must be > 0");
            for (int r = 0; r < s.Rows; r++)
            {
                wsum[r] += w;
                for (int j = 0; j < f; j++) sum[r * f + j] += w * s[r, j];
            }
        }
        var data = new float[t * f];
        for (int r = 0; r < t; r++)
            for (int j = 0; j < f; j++) data[r * f + j] = (float)(sum[r * f + j] / wsum[r]);
        var longest = items.MaxBy(i => i.Sequence.Rows).Sequence;
        return new FeatureMatrix(data, t, f, longest.FeatureNames, longest.FrameTimes[..t], longest.Options);
    }
}
