namespace HarmoniousFeedback.Models.Recommendation;

/// <summary>
/// A recommender in the simulation: after observing a user's week it ranks the catalog for the next week and, in the
/// accept/reject loop, proposes the next piece after the rejections so far. It sees the play counts of the
/// <see cref="ListeningLog"/> up to that week, never the moods.
/// </summary>
public interface IPieceRecommender
{
    string Name { get; }

    /// <summary>The <paramref name="n"/> best pieces for user <paramref name="user"/> after week <paramref name="week"/>, best first.</summary>
    int[] Rank(int user, int week, int n);

    /// <summary>The piece to offer after the pieces in <paramref name="rejected"/> were rejected (in order), never one already offered.</summary>
    int NextOffer(int user, int week, IReadOnlyList<int> rejected);
}
