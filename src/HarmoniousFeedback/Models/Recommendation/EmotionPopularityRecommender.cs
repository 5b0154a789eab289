namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>
/// Emotion-aware re-ranking of popularity: the paper's emotion estimate (<see cref="EmotionRecommender"/>) used as a
/// multiplicative lift on how often a piece is played, with the size of the lift learnt from the listening log, rather
/// than as a hard "this emotion first" partition of the catalog.
/// <para>Model of user u's plays in week w + 1 after the service observed week w:</para>
/// <code>
///   E[c_u,i,w+1] ∝ n_i(w) · (1 + (λ − 1) · m_ui(w)),      m_ui(w) = Σ_e p_u,w(e) · q_i(e)
/// </code>
/// <list type="bullet">
/// <item>n_i(w) = plays of piece i by all users in weeks 0 … w, plus <see cref="Smoothing"/> (the popularity baseline's
/// count, smoothed so an unplayed piece can still rise);</item>
/// <item>p_u,w = the estimated emotion of the user's week-w listening (the paper's profile → LSTM+AM), q_i = the estimator's
/// emotion probabilities of catalog piece i; m_ui is the probability that the piece's emotion is the user's;</item>
/// <item>λ, the mood lift (how many times more a piece of the user's emotion is played than another one, as far as the
/// estimates can tell), is fitted by maximum likelihood on the weeks already observed: every user-week pair (t, t + 1)
/// with t + 1 ≤ w, an estimate for week t and plays in week t + 1 contributes the multinomial log-likelihood of those
/// plays, Σ_i c_i·log(1 + (λ − 1)·m_ui(t)) − C·log(1 + (λ − 1)·Ā_u(t)) with Ā_u(t) = Σ_j n_j(t)·m_uj(t) / Σ_j n_j(t) and C = Σ_i c_i.
/// The maximiser over λ ∈ [1/16, 256] (a grid of 121 points in log λ, refined by golden-section search) is used; with
/// no pair yet (week 0), or a likelihood that does not rise above rounding anywhere, λ = 1, so the ranking is popularity. An estimate that does not predict listening gives λ ≈ 1
/// and the ranking falls back to popularity by itself.</item>
/// </list>
/// Ranking: by the score n_i(w)·(1 + (λ − 1)·m_ui(w)), ties by popularity order. Accept/reject: a rejection is evidence
/// against the rejected piece's emotion, p(e) := p(e)·(1 − q_rej(e)) renormalised (the paper's "rule the emotion out"
/// when q is one-hot); when nothing is left the offers fall back to popularity. A week without plays gives no estimate:
/// the ranking is popularity.
/// </summary>
public sealed class EmotionPopularityRecommender : IPieceRecommender
{
    private const double MinLift = 1.0 / 16, MaxLift = 256;
    private readonly ListeningLog _log;
    private readonly IReadOnlyList<float[]> _pieceEmotion;
    private readonly Func<int, int, float[]?> _userEmotion;
    private readonly PopularityRecommender _popularity;
    private readonly Dictionary<int, double[]> _counts = new();
    private readonly Dictionary<int, double> _lift = new();
    private readonly Lock _gate = new();

    /// <param name="log">The listening log (play counts only are read).</param>
    /// <param name="pieceEmotionProbabilities">q_i: the estimator's emotion probabilities [E] of every catalog piece.</param>
    /// <param name="userEmotion">(user, week) → p_u,w [E], the emotion estimated from that week's listening, or null without plays
    /// (e.g. <see cref="EmotionRecommender.EstimateEmotion"/>).</param>
    /// <param name="smoothing">Added to every piece's play count (≥ 0).</param>
    /// <param name="name">The name in tables (say where p_u,w comes from).</param>
    public EmotionPopularityRecommender(ListeningLog log, IReadOnlyList<float[]> pieceEmotionProbabilities, Func<int, int, float[]?> userEmotion, double smoothing = 1,
                                        string name = "Emotion × popularity")
    {
        if (pieceEmotionProbabilities.Count == 0) throw new ShapeMismatchException("the recommender needs a catalog of at least one piece");
        int e = pieceEmotionProbabilities[0].Length;
        if (e < 2) throw new ShapeMismatchException($"piece emotion probabilities have {e} entries; at least 2 emotions are needed");
        foreach (var q in pieceEmotionProbabilities)
            if (q.Length != e) throw new ShapeMismatchException($"piece emotion probabilities have {q.Length} and {e} entries");
        if (!(smoothing >= 0) || double.IsInfinity(smoothing))
            throw new OptionsValidationException(nameof(EmotionPopularityRecommender), [$"smoothing = {smoothing} must be a finite number >= 0"]);
        _log = log;
        _pieceEmotion = pieceEmotionProbabilities;
        _userEmotion = userEmotion;
        Smoothing = smoothing;
        Name = name;
        _popularity = new PopularityRecommender(log, pieceEmotionProbabilities.Count);
    }

    public string Name { get; }

    /// <summary>Added to every piece's play count n_i.</summary>
    public double Smoothing { get; }

    public int[] Rank(int user, int week, int n) => Ordered(user, week, []).Take(n).ToArray();

    public int NextOffer(int user, int week, IReadOnlyList<int> rejected) => Ordered(user, week, rejected).First(i => !rejected.Contains(i));

    /// <summary>
    /// The emotion of a week's listening from the emotions of the pieces played: p(e) = Σ_j c_j·q_j(e) / Σ_j c_j over the
    /// week's plays (piece j played c_j times), or null for a week without plays. An alternative to the paper's profile
    /// estimate that needs no extra pass of the estimator.
    /// </summary>
    public static Func<int, int, float[]?> PlayedPieceEmotion(ListeningLog log, IReadOnlyList<float[]> pieceEmotionProbabilities) => (user, week) =>
    {
        var plays = log.Plays[user][week];
        if (plays.Count == 0) return null;
        var p = new double[pieceEmotionProbabilities[0].Length];
        double total = 0;
        foreach (var (piece, count) in plays)
        {
            var q = pieceEmotionProbabilities[piece];
            for (int e = 0; e < p.Length; e++) p[e] += count * q[e];
            total += count;
        }
        return p.Select(v => (float)(v / total)).ToArray();
    };

    /// <summary>λ, the mood lift fitted on weeks 0 … <paramref name="week"/> (1 when no week pair has been observed yet).</summary>
    public double MoodLift(int week)
    {
        lock (_gate)
            if (_lift.TryGetValue(week, out var hit)) return hit;
        double lift = FitLift(week);
        lock (_gate) _lift[week] = lift;
        return lift;
    }

    private IEnumerable<int> Ordered(int user, int week, IReadOnlyList<int> rejected)
    {
        var popular = _popularity.Order(week);
        var estimate = _userEmotion(user, week);
        if (estimate is null) return popular;
        var p = estimate.Select(v => (double)v).ToArray();
        foreach (var r in rejected)
            for (int e = 0; e < p.Length; e++) p[e] *= 1 - _pieceEmotion[r][e];
        double sum = p.Sum();
        if (!(sum > 1e-12)) return popular;
        for (int e = 0; e < p.Length; e++) p[e] /= sum;
        double lift = MoodLift(week);
        var n = Counts(week);
        var score = new double[n.Length];
        for (int i = 0; i < n.Length; i++) score[i] = n[i] * (1 + (lift - 1) * Match(p, _pieceEmotion[i]));
        var popRank = new int[popular.Length];
        for (int r = 0; r < popular.Length; r++) popRank[popular[r]] = r;
        return Enumerable.Range(0, n.Length).OrderByDescending(i => score[i]).ThenBy(i => popRank[i]);
    }

    private static double Match(IReadOnlyList<double> p, float[] q)
    {
        double m = 0;
        for (int e = 0; e < q.Length; e++) m += p[e] * q[e];
        return Math.Clamp(m, 0, 1);
    }

    private double[] Counts(int week)
    {
        lock (_gate)
        {
            if (_counts.TryGetValue(week, out var c)) return c;
            c = _log.PlayTotals(_pieceEmotion.Count, week);
            for (int i = 0; i < c.Length; i++) c[i] += Smoothing;
            return _counts[week] = c;
        }
    }

    /// <summary>
    /// The maximum-likelihood λ from the week pairs (t, t + 1), t + 1 ≤ <paramref name="week"/> (see the class summary).
    /// Each pair reduces to its played pieces' (c_i, m_ui) and (C, Ā), so one evaluation costs O(plays).
    /// </summary>
    private double FitLift(int week)
    {
        var played = new List<(double Count, double Match)>();
        var totals = new List<(double Count, double MeanMatch)>();
        for (int t = 0; t + 1 <= week; t++)
        {
            var n = Counts(t);
            double nSum = n.Sum();
            if (!(nSum > 0)) continue;
            for (int u = 0; u < _log.Users; u++)
            {
                var next = _log.Plays[u][t + 1];
                if (next.Count == 0) continue;
                var est = _userEmotion(u, t);
                if (est is null) continue;
                var p = est.Select(v => (double)v).ToArray();
                double mean = 0;
                for (int j = 0; j < n.Length; j++) mean += n[j] * Match(p, _pieceEmotion[j]);
                mean /= nSum;
                double c = 0;
                foreach (var (piece, count) in next)
                {
                    played.Add((count, Match(p, _pieceEmotion[piece])));
                    c += count;
                }
                totals.Add((c, mean));
            }
        }
        if (totals.Count == 0) return 1;
        double LogLikelihood(double logLift)
        {
            double x = Math.Exp(logLift) - 1, ll = 0;
            foreach (var (c, m) in played) ll += c * Math.Log(1 + x * m);
            foreach (var (c, a) in totals) ll -= c * Math.Log(1 + x * a);
            return ll;
        }
        double lo = Math.Log(MinLift), hi = Math.Log(MaxLift);
        const int grid = 121;
        // λ ≠ 1 only for a likelihood gain above rounding (when the matches carry no information the curve is flat
        // and λ is not identifiable: keep 1)
        double tolerance = 1e-9 * Math.Max(1, totals.Sum(t => t.Count));
        double step = (hi - lo) / (grid - 1), best = 0, bestLl = LogLikelihood(0);
        for (int g = 0; g < grid; g++)
        {
            double x = lo + g * step, ll = LogLikelihood(x);
            if (ll > bestLl + tolerance) (best, bestLl) = (x, ll);
        }
        if (best == 0) return 1;
        // golden-section search on the bracket around the best grid point
        double a = Math.Max(lo, best - step), b = Math.Min(hi, best + step);
        double phi = (Math.Sqrt(5) - 1) / 2;
        double x1 = b - phi * (b - a), x2 = a + phi * (b - a), f1 = LogLikelihood(x1), f2 = LogLikelihood(x2);
        for (int it = 0; it < 60 && b - a > 1e-6; it++)
        {
            if (f1 > f2) { b = x2; x2 = x1; f2 = f1; x1 = b - phi * (b - a); f1 = LogLikelihood(x1); }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + phi * (b - a); f2 = LogLikelihood(x2); }
        }
        double refined = (a + b) / 2;
        return Math.Exp(LogLikelihood(refined) >= bestLl ? refined : best);
    }
}
