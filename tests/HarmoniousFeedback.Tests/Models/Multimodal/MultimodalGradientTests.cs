using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Nn;
using Xunit;
using static HarmoniousFeedback.Tests.Nn.GradCheck;

namespace HarmoniousFeedback.Tests.Models.Multimodal;

/// <summary>
/// Autograd against central finite differences (<see cref="HarmoniousFeedback.Tests.Nn.GradCheck"/>, its tolerances) for every
/// block of the multimodal models, with respect to the inputs and to representative parameters. Modules are in eval mode
/// (dropout and modality dropout are identity; finite differences need a deterministic function).
/// </summary>
public class MultimodalGradientTests
{
    private static NnRng R(int seed) => new(seed);

    /// <summary>
    /// Puts U(−1, 1) values into a parameter initialised near 0 (the fusion token and modality embeddings start at
    /// N(0, 0.02²)): a LayerNorm over a vector with ~0.02 spread is so curved that the checker's step h = 1e-2 no longer
    /// gives a derivative; at unit scale it does.
    /// </summary>
    private static void UnitScale(Tensor t, int seed) => Rand(seed, t.Shape.ToArray()).Data.CopyTo(t.Data);

    [Fact]
    public void SequenceEncoder_gradients_match_finite_differences_with_padded_rows()
    {
        var m = new SequenceEncoder(3, 4, 0.3f, R(1), 1);
        m.Eval();
        Check(a => m.Forward(a[0], [3, 1]).Token, [Rand(10, 2, 3, 3), m.Proj.Weight, m.Attention.V]);
    }

    [Fact]
    public void VectorEncoder_gradients_match_finite_differences()
    {
        var m = new VectorEncoder(5, 4, 0.3f, R(2), 2);
        m.Eval();
        Check(a => m.Forward(a[0]), [Rand(11, 3, 5), m.Proj.Weight, m.Norm.Weight]);
    }

    [Fact]
    public void TokenSelfAttentionLayer_gradients_match_finite_differences_with_a_masked_token()
    {
        var m = new TokenSelfAttentionLayer(4, 2, 0.3f, R(3), 3);
        m.Eval();
        var mask = new Tensor([0, 0, 1, 0, 0, 0], 2, 3);
        Check(a => m.Forward(a[0], mask).Output, [Rand(12, 2, 3, 4), m.SelfAttention.InProjWeight, m.Linear1.Weight]);
    }

    [Fact]
    public void ModalityAttentionFusion_gradients_match_finite_differences()
    {
        var m = new ModalityAttentionFusion(3, 4, 2, 2, 0.3f, R(4), 4);
        m.Eval();
        UnitScale(m.Cls, 30);
        UnitScale(m.ModalityEmbedding, 31);
        var mask = new Tensor([0, 1, 0, 0, 0, 0], 2, 3);
        Check(a => { var (f, w) = m.Forward(a[0], mask); return Tensor.Concat([f.Reshape(-1), w.Reshape(-1)], 0); }, [Rand(13, 2, 3, 4), m.Cls, m.ModalityEmbedding]);
    }

    [Theory]
    [InlineData(FusionMode.Attention)]
    [InlineData(FusionMode.Concat)]
    [InlineData(FusionMode.Early)]
    public void MultimodalFusion_gradients_match_finite_differences(FusionMode mode)
    {
        var specs = new[] { new ModalitySpec("a", true, 3), new ModalitySpec("b", true, 2), new ModalitySpec("c", false, 4) };
        var m = new MultimodalFusion(specs, 4, new MultimodalFusionOptions { Fusion = mode, Dim = 4, Heads = 2 }, 5);
        m.Eval();
        if (m.Fusion is not null) { UnitScale(m.Fusion.Cls, 35); UnitScale(m.Fusion.ModalityEmbedding, 36); }
        int[] lengths = [2, 3];
        Check(a => m.Forward([new ModalityInput(a[0], lengths), new ModalityInput(a[1], lengths), new ModalityInput(a[2], null)]).Logits,
            [Rand(14, 2, 3, 3), Rand(15, 2, 3, 2), Rand(16, 2, 4), m.Head.Weight]);
    }

    [Fact]
    public void TextEncoder_gradients_match_finite_differences_for_the_embeddings()
    {
        var m = new TextEncoder(6, 4, 0.3f, R(6), 6);
        m.Eval();
        long[] ids = [3, 4, 5, 0, 2, 0, 0, 0];
        Check(_ => m.Forward(ids, 2, 4, [3, 1]).Token, [m.Embedding.Weight, m.Attention.W]);
    }

    [Fact]
    public void JointAudioText_gradients_match_finite_differences_through_every_head()
    {
        var m = new JointAudioText([new ModalitySpec("lld", true, 3)], 6, 4, new JointAudioTextOptions { Dim = 4, Heads = 2 }, 7);
        m.Eval();
        UnitScale(m.Fusion.Cls, 32);
        UnitScale(m.Fusion.ModalityEmbedding, 33);
        UnitScale(m.Text!.Embedding.Weight, 34);
        m.Text.Embedding.Weight.Data[..4].Clear(); // PAD row stays 0
        var text = new TextBatch([3, 4, 1, 0], 2, 2, [2, 1]);
        Check(a =>
        {
            var o = m.Forward([new ModalityInput(a[0], [2, 1])], text);
            return Tensor.Concat([o.Logits.Reshape(-1), o.Arousal!.Reshape(-1), o.Valence!.Reshape(-1)], 0);
        }, [Rand(17, 2, 2, 3), m.Shared.Proj.Weight, m.Text!.Embedding.Weight]);
    }
}
