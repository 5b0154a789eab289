namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>
/// What <see cref="ListeningSimulator"/> produced: for every user and week the play count of every piece the user played
/// (<see cref="Plays"/>[user][week]: piece → count, what a recommender may see) and the user's latent mood of that week
/// (<see cref="Moods"/>[user][week]: an emotion index — only the simulator and the evaluation see it).
/// </summary>
public sealed class ListeningLog
{
    public ListeningLog(IReadOnlyList<IReadOnlyList<IReadOnlyDictionary<int, int>>> plays, IReadOnlyList<int[]> moods)
    {
        Plays = plays;
        Moods = moods;
    }

    public IReadOnlyList<IReadOnlyList<IReadOnlyDictionary<int, int>>> Plays { get; }
    public IReadOnlyList<int[]> Moods { get; }
    public int Users => Plays.Count;
    public int Weeks => Plays.Count == 0 ? 0 : Plays[0].Count;

    /// <summary>Total plays of every piece by every user in weeks 0 … <paramref name="throughWeek"/> (the popularity a service knows at that time).</summary>
    public double[] PlayTotals(int pieces, int throughWeek)
    {
        var total = new double[pieces];
        foreach (var user in Plays)
            for (int w = 0; w <= throughWeek && w < user.Count; w++)
                foreach (var (piece, count) in user[w]) total[piece] += count;
        return total;
    }
}
