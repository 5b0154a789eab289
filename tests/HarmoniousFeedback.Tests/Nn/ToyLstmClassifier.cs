using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>A toy sequence classifier (LSTM → additive attention → Linear) used by the training tests.</summary>
internal sealed class ToyLstmClassifier : Module
{
    public readonly LSTM Lstm; public readonly AdditiveAttentionPooling Attn; public readonly Linear Fc;
    public ToyLstmClassifier(int input, int hidden, int classes, int seed, float dropout = 0f, int layers = 1)
    {
        var rng = new NnRng(seed);
        Lstm = RegisterModule("lstm", new LSTM(input, hidden, layers, batchFirst: true, dropout: dropout, rng: rng));
        Attn = RegisterModule("attn", new AdditiveAttentionPooling(hidden, 8, rng));
        Fc = RegisterModule("fc", new Linear(hidden, classes, rng: rng));
    }
    public Tensor Forward(Tensor x, int[]? lengths = null)
    {
        var (y, _, _) = Lstm.Forward(x, lengths: lengths);
        return Fc.Forward(Attn.Forward(y, lengths).Context);
    }
}
