namespace HarmoniousFeedback.Features.Text;

/// <summary>Options of <see cref="TextVocabulary"/> (names as torchtext's <c>build_vocab_from_iterator</c>: <c>min_freq</c>, <c>max_tokens</c>).</summary>
public sealed record TextVocabularyOptions
{
    /// <summary>A token enters the vocabulary when it occurs at least this often in the training sequences, ≥ 1. Default 2.</summary>
    public int MinFreq { get; init; } = 2;

    /// <summary>Largest vocabulary (special ids included); the most frequent tokens are kept, ≥ 4. Default 20,000.</summary>
    public int MaxTokens { get; init; } = 20000;

    /// <summary>Sequences are truncated to this many ids (head kept: EMOPIA's text is title, tags, description), ≥ 1. Default 256.</summary>
    public int MaxLength { get; init; } = 256;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(TextVocabularyOptions));
        v.Check(MinFreq >= 1, $"MinFreq = {MinFreq} must be >= 1");
        v.Check(MaxTokens >= TextVocabulary.FirstTokenId + 1, $"MaxTokens = {MaxTokens} must be >= {TextVocabulary.FirstTokenId + 1} (the special ids plus one token)");
        v.Check(MaxLength >= 1, $"MaxLength = {MaxLength} must be >= 1");
        v.ThrowFeatureIfAny();
    }
}
