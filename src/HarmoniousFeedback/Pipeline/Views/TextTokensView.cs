using HarmoniousFeedback.Features.Text;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Views <c>text</c> and <c>text-masked</c>: the clip's text (EMOPIA: the song's YouTube title, tags and description from
/// <c>text.jsonl</c>) as raw GPT-2 byte-level BPE token ids (<see cref="TextTokenizer.Gpt2"/>), a variable-length vector
/// <c>float[n]</c> (ids are integers below 2²⁴, exact in float32); <see cref="TextTokenizer.MaskId"/> (−1) stands for a masked
/// emotion word (<see cref="EmotionLexicon"/>: <c>text</c> masks nothing by default, <c>text-masked</c> masks the Core
/// lexicon; both take <c>masking</c>). A clip without text (31 of EMOPIA's 387 songs) gets an empty vector — the model sees
/// "no text", never zeros standing for tokens. The ids are raw on purpose: a model maps them through a
/// <see cref="TextVocabulary"/> it fits on its own training rows inside <c>Fit</c>, so a fold's vocabulary never sees its
/// test texts. Not normalised.
/// </summary>
public sealed class TextTokensView : FeatureView<TextViewOptions>
{
    private readonly EmotionMasking _defaultMasking;

    public TextTokensView(string name, EmotionMasking defaultMasking)
    {
        Name = name;
        _defaultMasking = defaultMasking;
    }

    public override string Name { get; }

    public override string Summary => _defaultMasking == EmotionMasking.None
        ? "the clip's text as raw GPT-2 BPE token ids, a variable-length vector (empty without text); models fit their vocabulary on training rows"
        : $"as `text` with the emotion words of the {_defaultMasking} lexicon masked (the leakage check, docs/multimodal.md)";

    protected override TextViewOptions ReadOptions(ParameterReader p, ViewDefaults d) => new()
    {
        Masking = p.Enum("masking", _defaultMasking, "emotion words replaced by a MASK token before tokenisation (EmotionLexicon)"),
    };

    protected override ConfiguredView Create(TextViewOptions options) => new Configured(this, options);

    private sealed class Configured(TextTokensView view, TextViewOptions options) : ConfiguredView(view)
    {
        public override ColumnType Type => ColumnType.Vector();
        public override bool Normalizable => false;

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            x.Stage?.Invoke($"tokenising text ({clips.Count} clips, GPT-2 BPE, masking {options.Masking})");
            var values = new object[clips.Count];
            for (int i = 0; i < clips.Count; i++)
                values[i] = TextTokenizer.Gpt2.Encode(clips[i].Text, options.Masking).Select(t => (float)t).ToArray();
            return values;
        }
    }
}
