namespace HarmoniousFeedback.Nn;

/// <summary>What one epoch produced, reported to the observer.</summary>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, IReadOnlyDictionary<string, double> Metrics, double Lr, TimeSpan Elapsed, bool StoppedEarly);
