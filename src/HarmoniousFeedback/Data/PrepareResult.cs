namespace HarmoniousFeedback.Data;

/// <summary>Outcome of <see cref="DatasetPreparer.Prepare"/>.</summary>
public sealed record PrepareResult(Manifest Manifest, IReadOnlyDictionary<PrepareAction, int> Actions, bool ManifestChanged, TimeSpan Elapsed)
{
    /// <summary>True when nothing was rendered, copied or rewritten: the folder was already up to date.</summary>
    public bool UpToDate => !ManifestChanged && Actions.Where(a => a.Key != PrepareAction.UpToDate).All(a => a.Value == 0);

    public int Count(PrepareAction a) => Actions.TryGetValue(a, out var n) ? n : 0;
}
