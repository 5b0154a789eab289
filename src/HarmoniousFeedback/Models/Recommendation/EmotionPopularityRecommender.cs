namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>
/// Emotion-aware re-ranking of popularity: an emotion estimate of the user's week (the paper's profile estimate,
/// <see cref="EmotionRecommender.EstimateEmotion"/>, or <see cref="PlayedPieceEmotion"/>) used as a multiplicative lift on
/// how often a piece is played, with the size of the lift learnt from the listening log, rather than as a hard "this
/// emotion first" partition of the catalog. Optionally personal: the popularity is blended with the user's own history.
/// <para>Model of user u's plays in week w + 1 after the service observed week w:</para>
/// <code>
///   E[c_u,i,w+1] ∝ b_ui(w) · (1 + (λ − 1) · m_ui(w))
///   b_ui(w) = (1 − ω)·g_i(w) + ω·h_ui(w),      m_ui(w) = Σ_e p_u,w(e) · q_i(e)
/// </code>
/// <list type="bullet">
/// <item>g_i(w) = (n_i(w) + s) / Σ_j (n_j(w) + s): the share of plays of piece i by all users in weeks 0 … w, smoothed by
/// s = <see cref="Smoothing"/> so an unplayed piece can still rise (the popularity baseline's order);</item>
/// <item>h_ui(w) = the share of piece i in user u's own plays in weeks 0 … w (only when <see cref="Personal"/>; a user
/// without plays so far gets b = g);</item>
/// <item>p_u,w = the emotion estimated from the user's week-w listening, q_i = the estimator's emotion probabilities of
/// catalog piece i; m_ui is the probability that the piece's emotion is the user's. Without an estimate
/// (<c>userEmotion</c> null: <see cref="PersonalPopularity"/>) λ = 1.</item>
/// </list>
/// λ (the mood lift: how many times more a piece of the user's emotion is played than another one, as far as the
/// estimates can tell) and ω are fitted by maximum likelihood on the weeks already observed: every user-week pair
/// (t, t + 1), t + 1 ≤ w, with an estimate for week t and plays in week t + 1 contributes the multinomial log-likelihood
/// of those plays, Σ_i c_i·log(b_ui(t)·(1 + (λ − 1)·m_ui(t))) − C·log(1 + (λ − 1)·Σ_j b_uj(t)·m_uj(t)) (C = Σ_i c_i; Σ_j b_uj = 1).
/// Search: ω on {0, 0.05, …, 0.95} × log λ on 121 points in [1/16, 256], then golden-section search in λ at the best ω.
/// A parameter leaves its null value (λ = 1, ω = 0) only for a likelihood gain above rounding; with no pair yet (week 0)
/// the ranking is popularity. An estimate that does not predict listening gives λ ≈ 1 by itself.
/// <para>Ranking: by b_ui(w)·(1 + (λ − 1)·m_ui(w)), ties by popularity order. Accept/reject: a rejection is evidence against
/// the rejected piece's emotion, p(e) := p(e)·(1 − q_rej(e)) renormalised (the paper's "rule the emotion out" when q is
/// one-hot); when no emotion is left, λ = 1. A week without plays gives no estimate: λ = 1.</para>
/// </summary>
public sealed class EmotionPopularityRecommender : IPieceRecommender
{
    private const double MinLift = 1.0 / 16, MaxLift = 256;
    private const int OmegaSteps = 20; // ω = 0, 0.05, …, 0.95
    private readonly ListeningLog _log;
    private readonly IReadOnlyList<float[]> _pieceEmotion;
    private readonly Func<int, int, float[]?>? _userEmotion;
    private readonly PopularityRecommender _popularity;
    private readonly Dictionary<int, double[]> _shares = new();
    private readonly Dictionary<int, (double Lift, double Omega)> _fits = new();
    private readonly Lock _gate = new();

    /// <param name="log">The listening log (play counts only are read).</param>
    /// <param name="pieceEmotionProbabilities">q_i: the estimator's emotion probabilities [E] of every catalog piece.</param>
    /// <param name="userEmotion">(user, week) → p_u,w [E], the emotion estimated from that week's listening, or null without plays;
    /// null for no emotion at all (λ = 1).</param>
    /// <param name="personal">Blend the user's own history into the popularity (fit ω).</param>
    /// <param name="smoothing">s, added to every piece's play count (&gt; 0).</param>
    /// <param name="name">The name in tables (say where p_u,w comes from).</param>
    public EmotionPopularityRecommender(ListeningLog log, IReadOnlyList<float[]> pieceEmotionProbabilities, Func<int, int, float[]?>? userEmotion,
                                        bool personal = false, double smoothing = 1, string name = "Emotion × popularity")
    {
        if (pieceEmotionProbabilities.Count == 0) throw new ShapeMismatchException("the recommender needs a catalog of at least one piece");
        int e = pieceEmotionProbabilities[0].Length;
        if (e < 2) throw new ShapeMismatchException($"piece emotion probabilities have {e} entries; at least 2 emotions are needed");
        foreach (var q in pieceEmotionProbabilities)
            if (q.Length != e) throw new ShapeMismatchException($"piece emotion probabilities have {q.Length} and {e} entries");
        if (!(smoothing > 0) || double.IsInfinity(smoothing))
            throw new OptionsValidationException(nameof(EmotionPopularityRecommender), [$"smoothing = {smoothing} must be a finite number > 0"]);
        _log = log;
        _pieceEmotion = pieceEmotionProbabilities;
        _userEmotion = userEmotion;
        Personal = personal;
        Smoothing = smoothing;
        Name = name;
        _popularity = new PopularityRecommender(log, pieceEmotionProbabilities.Count);
    }

    /// <summary>The personal-popularity baseline: the same model without an emotion (λ = 1), ω fitted.</summary>
    public static EmotionPopularityRecommender PersonalPopularity(ListeningLog log, int pieces, double smoothing = 1) =>
        new(log, Enumerable.Range(0, pieces).Select(_ => new[] { 0.5f, 0.5f }).ToArray(), null, personal: true, smoothing, "Personal popularity");

    public string Name { get; }

    /// <summary>s, added to every piece's play count.</summary>
    public double Smoothing { get; }

    /// <summary>Whether the user's own history is blended in (ω fitted; else ω = 0).</summary>
    public bool Personal { get; }

    public int[] Rank(int user, int week, int n) => Ordered(user, week, []).Take(n).ToArray();

    public int NextOffer(int user, int week, IReadOnlyList<int> rejected) => Ordered(user, week, rejected).First(i => !rejected.Contains(i));

    /// <summary>λ, the mood lift fitted on weeks 0 … <paramref name="week"/> (1 when no week pair has been observed yet).</summary>
    public double MoodLift(int week) => Fit(week).Lift;

    /// <summary>ω, the weight of the user's own history fitted on weeks 0 … <paramref name="week"/> (0 unless <see cref="Personal"/>).</summary>
    public double PersonalWeight(int week) => Fit(week).Omega;

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

    private IEnumerable<int> Ordered(int user, int week, IReadOnlyList<int> rejected)
    {
        var popular = _popularity.Order(week);
        var (lift, omega) = Fit(week);
        var p = Estimate(user, week);
        if (p is not null)
        {
            foreach (var r in rejected)
                for (int e = 0; e < p.Length; e++) p[e] *= 1 - _pieceEmotion[r][e];
            double sum = p.Sum();
            if (sum > 1e-12) for (int e = 0; e < p.Length; e++) p[e] /= sum;
            else p = null;
        }
        if (p is null) lift = 1;
        if (lift == 1 && omega == 0) return popular;
        var b = Base(user, week, omega);
        var score = new double[b.Length];
        for (int i = 0; i < b.Length; i++) score[i] = b[i] * (lift == 1 ? 1 : 1 + (lift - 1) * Match(p!, _pieceEmotion[i]));
        var popRank = new int[popular.Length];
        for (int r = 0; r < popular.Length; r++) popRank[popular[r]] = r;
        return Enumerable.Range(0, b.Length).OrderByDescending(i => score[i]).ThenBy(i => popRank[i]);
    }

    private double[]? Estimate(int user, int week) => _userEmotion?.Invoke(user, week)?.Select(v => (double)v).ToArray();

    private static double Match(double[] p, float[] q)
    {
        double m = 0;
        for (int e = 0; e < q.Length; e++) m += p[e] * q[e];
        return Math.Clamp(m, 0, 1);
    }

    /// <summary>g(w): smoothed shares of all users' plays through week w.</summary>
    private double[] GlobalShares(int week)
    {
        lock (_gate)
        {
            if (_shares.TryGetValue(week, out var g)) return g;
            g = _log.PlayTotals(_pieceEmotion.Count, week);
            double total = 0;
            for (int i = 0; i < g.Length; i++) total += g[i] += Smoothing;
            for (int i = 0; i < g.Length; i++) g[i] /= total;
            return _shares[week] = g;
        }
    }

    /// <summary>The user's own plays through week w (piece → count) and their total.</summary>
    private (Dictionary<int, double> Counts, double Total) OwnPlays(int user, int week)
    {
        var own = new Dictionary<int, double>();
        double total = 0;
        for (int t = 0; t <= week; t++)
            foreach (var (piece, count) in _log.Plays[user][t])
            {
                own[piece] = own.GetValueOrDefault(piece) + count;
                total += count;
            }
        return (own, total);
    }

    /// <summary>b_u(w) for weight ω.</summary>
    private double[] Base(int user, int week, double omega)
    {
        var g = GlobalShares(week);
        var b = new double[g.Length];
        var (own, total) = omega > 0 ? OwnPlays(user, week) : (null, 0);
        double w = total > 0 ? omega : 0;
        for (int i = 0; i < b.Length; i++) b[i] = (1 - w) * g[i];
        if (w > 0)
            foreach (var (piece, count) in own!) b[piece] += w * count / total;
        return b;
    }

    private (double Lift, double Omega) Fit(int week)
    {
        lock (_gate)
            if (_fits.TryGetValue(week, out var hit)) return hit;
        var fit = FitParameters(week);
        lock (_gate) _fits[week] = fit;
        return fit;
    }

    /// <summary>
    /// Maximum-likelihood (λ, ω) from the week pairs (t, t + 1), t + 1 ≤ <paramref name="week"/> (see the class summary).
    /// Each pair reduces to its played pieces' (c_i, g_i, h_ui, m_ui) and (C, Σ g·m, Σ h·m), so one evaluation costs O(plays).
    /// </summary>
    private (double Lift, double Omega) FitParameters(int week)
    {
        bool fitLift = _userEmotion is not null, fitOmega = Personal;
        if (!fitLift && !fitOmega) return (1, 0);
        var played = new List<(double Count, double G, double H, double M)>();
        var pairs = new List<(double Count, double Gm, double Hm)>();
        for (int t = 0; t + 1 <= week; t++)
        {
            var g = GlobalShares(t);
            for (int u = 0; u < _log.Users; u++)
            {
                var next = _log.Plays[u][t + 1];
                if (next.Count == 0) continue;
                double[]? p = null;
                if (fitLift && (p = Estimate(u, t)) is null) continue;
                var (own, ownTotal) = fitOmega ? OwnPlays(u, t) : (null, 0);
                double gm = 0, hm = 0;
                if (p is not null)
                {
                    for (int j = 0; j < g.Length; j++) gm += g[j] * Match(p, _pieceEmotion[j]);
                    if (ownTotal > 0)
                        foreach (var (piece, count) in own!) hm += count / ownTotal * Match(p, _pieceEmotion[piece]);
                }
                // a user without history has b = g whatever ω: H := G makes the blend (1 − ω)·g + ω·g
                bool history = ownTotal > 0;
                double c = 0;
                foreach (var (piece, count) in next)
                {
                    double h = history ? own!.GetValueOrDefault(piece) / ownTotal : g[piece];
                    played.Add((count, g[piece], h, p is null ? 0 : Match(p, _pieceEmotion[piece])));
                    c += count;
                }
                pairs.Add((c, gm, history ? hm : gm));
            }
        }
        if (pairs.Count == 0) return (1, 0);
        double LogLikelihood(double logLift, double omega)
        {
            double x = Math.Exp(logLift) - 1, ll = 0;
            foreach (var (c, gi, hi, m) in played) ll += c * (Math.Log((1 - omega) * gi + omega * hi) + Math.Log(1 + x * m));
            if (x != 0)
                foreach (var (c, gm, hm) in pairs) ll -= c * Math.Log(1 + x * ((1 - omega) * gm + omega * hm));
            return ll;
        }
        // a parameter leaves its null value only for a gain above rounding (a flat likelihood is not identifiable)
        double tolerance = 1e-9 * Math.Max(1, pairs.Sum(p => p.Count));
        double lo = Math.Log(MinLift), hi = Math.Log(MaxLift);
        const int grid = 121;
        double step = (hi - lo) / (grid - 1);
        double bestLift = 0, bestOmega = 0, bestLl = LogLikelihood(0, 0);
        for (int o = 0; o < (fitOmega ? OmegaSteps : 1); o++)
        {
            double omega = o / (double)OmegaSteps;
            for (int k = 0; k < (fitLift ? grid : 1); k++)
            {
                double x = fitLift ? lo + k * step : 0, ll = LogLikelihood(x, omega);
                if (ll > bestLl + tolerance) (bestLift, bestOmega, bestLl) = (x, omega, ll);
            }
        }
        if (bestLift == 0) return (1, bestOmega);
        // golden-section search in log λ on the bracket around the best grid point, at the best ω
        double a = Math.Max(lo, bestLift - step), b = Math.Min(hi, bestLift + step);
        double phi = (Math.Sqrt(5) - 1) / 2;
        double x1 = b - phi * (b - a), x2 = a + phi * (b - a), f1 = LogLikelihood(x1, bestOmega), f2 = LogLikelihood(x2, bestOmega);
        for (int it = 0; it < 60 && b - a > 1e-6; it++)
        {
            if (f1 > f2) { b = x2; x2 = x1; f2 = f1; x1 = b - phi * (b - a); f1 = LogLikelihood(x1, bestOmega); }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + phi * (b - a); f2 = LogLikelihood(x2, bestOmega); }
        }
        double refined = (a + b) / 2;
        return (Math.Exp(LogLikelihood(refined, bestOmega) >= bestLl ? refined : bestLift), bestOmega);
    }
}
