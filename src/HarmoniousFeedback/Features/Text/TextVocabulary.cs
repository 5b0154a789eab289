using System.Text;

namespace HarmoniousFeedback.Features.Text;

/// <summary>
/// A corpus vocabulary over raw tokenizer ids (<see cref="TextTokenizer"/>), fitted on the training texts only, so an
/// embedding table has one row per token actually seen: id 0 = PAD, 1 = UNK (a raw id not in the vocabulary), 2 = MASK
/// (<see cref="TextTokenizer.MaskId"/>), then the kept tokens from 3 on, most frequent first (ties: lower raw id first).
/// A token is kept when it occurs at least <see cref="TextVocabularyOptions.MinFreq"/> times, up to
/// <see cref="TextVocabularyOptions.MaxTokens"/> ids in all. <see cref="Encode"/> maps a raw sequence and truncates it to
/// <see cref="TextVocabularyOptions.MaxLength"/> (the head is kept); <see cref="EncodePadded"/> also right-pads with PAD
/// and returns the true length for masking. Saved/loaded with a versioned binary format.
/// </summary>
public sealed class TextVocabulary
{
    public const int PadId = 0;
    public const int UnkId = 1;
    public const int MaskIdInVocabulary = 2;
    public const int FirstTokenId = 3;
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "HFBVOCAB"u8.ToArray();

    private readonly Dictionary<int, int> _toId;

    public TextVocabularyOptions Options { get; }

    /// <summary>Raw tokenizer id of vocabulary id <c>FirstTokenId + i</c>.</summary>
    public IReadOnlyList<int> RawIds { get; }

    /// <summary>Number of vocabulary ids, special ids included (the embedding table's row count).</summary>
    public int Count => FirstTokenId + RawIds.Count;

    private TextVocabulary(TextVocabularyOptions options, int[] rawIds)
    {
        Options = options; RawIds = rawIds;
        _toId = new Dictionary<int, int>(rawIds.Length);
        for (int i = 0; i < rawIds.Length; i++) _toId[rawIds[i]] = FirstTokenId + i;
    }

    /// <summary>Fits a vocabulary on the raw id sequences of the training texts (the mask id is never counted as a token).</summary>
    public static TextVocabulary Fit(IEnumerable<IReadOnlyList<int>> trainingSequences, TextVocabularyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trainingSequences);
        var o = options ?? new TextVocabularyOptions();
        o.Validate();
        var counts = new Dictionary<int, int>();
        foreach (var seq in trainingSequences)
            foreach (var id in seq)
                if (id != TextTokenizer.MaskId) counts[id] = counts.GetValueOrDefault(id) + 1;
        var kept = counts.Where(kv => kv.Value >= o.MinFreq)
                         .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key)
                         .Take(o.MaxTokens - FirstTokenId).Select(kv => kv.Key).ToArray();
        return new TextVocabulary(o, kept);
    }

    /// <summary>Vocabulary id of a raw id: MASK for <see cref="TextTokenizer.MaskId"/>, UNK when unseen.</summary>
    public int IdOf(int rawId) => rawId == TextTokenizer.MaskId ? MaskIdInVocabulary : _toId.GetValueOrDefault(rawId, UnkId);

    /// <summary>Vocabulary ids of a raw sequence, truncated to <see cref="TextVocabularyOptions.MaxLength"/>.</summary>
    public int[] Encode(IReadOnlyList<int> rawIds)
    {
        var r = new int[Math.Min(rawIds.Count, Options.MaxLength)];
        for (int i = 0; i < r.Length; i++) r[i] = IdOf(rawIds[i]);
        return r;
    }

    /// <summary>Vocabulary ids right-padded with <see cref="PadId"/> to exactly <see cref="TextVocabularyOptions.MaxLength"/>, and the unpadded length.</summary>
    public (int[] Ids, int Length) EncodePadded(IReadOnlyList<int> rawIds)
    {
        var e = Encode(rawIds);
        var r = new int[Options.MaxLength];
        e.CopyTo(r, 0);
        return (r, e.Length);
    }

    /// <summary>Raw id of a vocabulary id; PAD and UNK have none (−2 and −3), MASK is <see cref="TextTokenizer.MaskId"/>.</summary>
    public int RawIdOf(int id) => id switch
    {
        PadId => -2,
        UnkId => -3,
        MaskIdInVocabulary => TextTokenizer.MaskId,
        _ when id >= FirstTokenId && id < Count => RawIds[id - FirstTokenId],
        _ => throw new ShapeMismatchException($"vocabulary id {id} is outside [0, {Count})"),
    };

    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic); w.Write(FormatVersion);
        w.Write(Options.MinFreq); w.Write(Options.MaxTokens); w.Write(Options.MaxLength);
        w.Write(RawIds.Count);
        foreach (var id in RawIds) w.Write(id);
    }

    /// <summary>Reads a vocabulary written by <see cref="Save"/>; a wrong magic, version or truncated stream raises <see cref="CheckpointException"/>.</summary>
    public static TextVocabulary Load(Stream stream)
    {
        try
        {
            using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new CheckpointException("not a text vocabulary (bad magic)");
            int version = r.ReadInt32();
            if (version != FormatVersion) throw new CheckpointException($"text vocabulary format {version} is not supported (expected {FormatVersion})");
            var o = new TextVocabularyOptions { MinFreq = r.ReadInt32(), MaxTokens = r.ReadInt32(), MaxLength = r.ReadInt32() };
            o.Validate();
            int n = r.ReadInt32();
            if (n < 0 || n > o.MaxTokens) throw new CheckpointException($"text vocabulary holds {n} tokens, outside [0, MaxTokens = {o.MaxTokens}]");
            var ids = new int[n];
            for (int i = 0; i < n; i++) ids[i] = r.ReadInt32();
            return new TextVocabulary(o, ids);
        }
        catch (EndOfStreamException e) { throw new CheckpointException("text vocabulary is truncated", e); }
        catch (OptionsValidationException e) { throw new CheckpointException("text vocabulary has invalid options: " + e.Message, e); }
    }
}
