using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// Audio–text joint learning of music emotion: private encoders per modality, a shared layer, self-attention fusion of
/// the private and shared features, a main 4-quadrant head and an auxiliary emotion-category head (arousal high/low,
/// valence positive/negative; <see cref="AuxiliaryTask"/>).
/// <code>
/// audio x_a ─► SequenceEncoder (LLD [B, T, F]) or VectorEncoder (clip vector [B, F]) ─► u_a [B, d]   (private)
/// text ids  ─► TextEncoder (embeddings + attention pooling)                            ─► u_t [B, d]   (private)
/// s_m = SharedProjection(u_m) = tanh(W_s u_m + b_s)   (one W_s for every modality)                 [B, d]
/// f = ModalityAttentionFusion([u_1 … u_K, s_1 … s_K])                                              [B, d]
/// main = Linear(d→C)(Dropout f);  arousal = Linear(d→2)(Dropout f);  valence = Linear(d→2)(Dropout f)
/// L = CE(main, y) + λ·(CE(arousal, a(y)) + CE(valence, v(y)))/2
/// </code>
/// Any subset of modalities works (audio only, text only, both) — the ablations of docs/multimodal.md. Modality
/// dropout (training only) removes both tokens of a modality per example, never every modality.
/// Parameter names: <c>encoders.k.*</c> (audio), <c>text_encoder.*</c>, <c>shared.proj.*</c>, <c>fusion.*</c>,
/// <c>head.*</c>, <c>arousal_head.*</c>, <c>valence_head.*</c>.
/// </summary>
public sealed class JointAudioText : Module
{
    private readonly Module[] _audio;
    private readonly NnRng _modalityRng;

    public JointAudioText(IReadOnlyList<ModalitySpec> audio, int? vocabularySize, int numClasses, JointAudioTextOptions options, int seed)
    {
        options.Validate();
        if (audio.Count == 0 && vocabularySize is null) throw new ShapeMismatchException("JointAudioText needs an audio input, a text input or both");
        Audio = audio;
        VocabularySize = vocabularySize;
        Options = options;
        var rng = NnRandom.Create(seed);
        int d = options.Dim;
        _audio = new Module[audio.Count];
        for (int m = 0; m < audio.Count; m++)
            _audio[m] = audio[m].IsSequence
                ? RegisterModule($"encoders.{m}", new SequenceEncoder(audio[m].Features, d, options.Dropout, rng, seed + 11 * (m + 1)))
                : RegisterModule<Module>($"encoders.{m}", new VectorEncoder(audio[m].Features, d, options.Dropout, rng, seed + 11 * (m + 1)));
        if (vocabularySize is int v) Text = RegisterModule("text_encoder", new TextEncoder(v, d, options.Dropout, rng, seed + 97));
        Shared = RegisterModule("shared", new SharedProjection(d, rng));
        Fusion = RegisterModule("fusion", new ModalityAttentionFusion(2 * ModalityCount, d, options.Heads, options.FusionLayers, options.Dropout, rng, seed + 7));
        Drop = RegisterModule("dropout", new Dropout(options.Dropout, seed + 3));
        Head = RegisterModule("head", new Linear(d, numClasses, rng: rng));
        if (options.Auxiliary == AuxiliaryTask.ArousalValence)
        {
            ArousalHead = RegisterModule("arousal_head", new Linear(d, 2, rng: rng));
            ValenceHead = RegisterModule("valence_head", new Linear(d, 2, rng: rng));
        }
        _modalityRng = RegisterRng("modality_dropout", new NnRng(seed + 5));
    }

    public IReadOnlyList<ModalitySpec> Audio { get; }
    public int? VocabularySize { get; }
    public JointAudioTextOptions Options { get; }
    public IReadOnlyList<Module> AudioEncoders => _audio;
    public TextEncoder? Text { get; }
    public SharedProjection Shared { get; }
    public ModalityAttentionFusion Fusion { get; }
    public Dropout Drop { get; }
    public Linear Head { get; }
    public Linear? ArousalHead { get; }
    public Linear? ValenceHead { get; }

    /// <summary>K: audio inputs plus one for text when present.</summary>
    public int ModalityCount => Audio.Count + (VocabularySize is null ? 0 : 1);

    /// <summary>Audio inputs in <see cref="Audio"/> order and the text batch (null exactly when the model has no text encoder).</summary>
    public JointAudioTextOutput Forward(IReadOnlyList<ModalityInput> audio, TextBatch? text)
    {
        if (audio.Count != Audio.Count || (text is null) != (Text is null))
            throw new ShapeMismatchException($"JointAudioText reads {Audio.Count} audio input(s){(Text is null ? "" : " and text")}, got {audio.Count}{(text is null ? "" : " and text")}");
        var u = new List<Tensor>(ModalityCount);
        for (int m = 0; m < audio.Count; m++)
            u.Add(_audio[m] is SequenceEncoder s ? s.Forward(audio[m].X, audio[m].Lengths!).Token : ((VectorEncoder)_audio[m]).Forward(audio[m].X));
        if (text is not null) u.Add(Text!.Forward(text.Ids, text.Batch, text.MaxLength, text.Lengths).Token);
        int b = u[0].Shape[0], k = u.Count;
        var tokens = Tensor.Stack([.. u, .. u.Select(Shared.Forward)], 1);             // [B, 2K, d]
        Tensor? mask = null;
        if (Training && Options.ModalityDropout > 0 && k > 1)
        {
            var m = new float[b * 2 * k];
            for (int i = 0; i < b; i++)
            {
                var drop = new bool[k];
                int kept = 0;
                for (int j = 0; j < k; j++) if (!(drop[j] = _modalityRng.NextDouble() < Options.ModalityDropout)) kept++;
                if (kept == 0) drop[(int)(_modalityRng.NextDouble() * k)] = false;
                for (int j = 0; j < k; j++) if (drop[j]) m[i * 2 * k + j] = m[i * 2 * k + k + j] = 1;
            }
            mask = new Tensor(m, b, 2 * k);
        }
        var (fused, weights) = Fusion.Forward(tokens, mask);
        var f = Drop.Forward(fused);
        return new JointAudioTextOutput(Head.Forward(f), ArousalHead?.Forward(f), ValenceHead?.Forward(f), weights);
    }

    /// <summary>The auxiliary targets of quadrant label <paramref name="label"/>: arousal (1 = high: Q1, Q2) and valence (1 = positive: Q1, Q4).</summary>
    public static (int Arousal, int Valence) AuxiliaryTargets(string label) => label switch
    {
        "Q1" => (1, 1),
        "Q2" => (1, 0),
        "Q3" => (0, 0),
        "Q4" => (0, 1),
        _ => throw new DatasetException($"the arousal/valence auxiliary task needs quadrant labels Q1–Q4 (Russell's circumplex), got '{label}'; use auxiliary = none"),
    };
}
