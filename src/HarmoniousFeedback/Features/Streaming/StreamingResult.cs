namespace HarmoniousFeedback.Features.Streaming;

/// <summary>What a run of <see cref="StreamingFeatureExtractor"/> did.</summary>
/// <param name="Samples">Samples in the signal (per channel).</param>
/// <param name="Rows">Rows passed to the sink (frames, or segments for the LLD segment descriptor).</param>
/// <param name="Passes">Times the audio was read: 1, or 2 when a clip-level quantity was needed first (log-mel maximum for TopDb).</param>
/// <param name="Streamed">False when the whole signal fit in the first block and the whole-signal extractor ran instead.</param>
/// <param name="PeakSamples">Most samples held in memory at once.</param>
public sealed record StreamingResult(long Samples, long Rows, int Passes, bool Streamed, long PeakSamples);
