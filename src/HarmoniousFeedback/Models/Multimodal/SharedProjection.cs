using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// The shared layer of <see cref="JointAudioText"/>: one projection whose weights every modality uses,
/// s_m = tanh(W_s u_m + b_s), u_m [B, d] (the modality's private encoding) → s_m [B, d] — the shared half of the
/// shared-private scheme (Bousmalis et al. 2016, Domain Separation Networks; Hazarika et al. 2020, MISA): the same map
/// for audio and text pushes both into one space. Parameter names: <c>proj.weight</c> [d, d], <c>proj.bias</c> [d].
/// </summary>
public sealed class SharedProjection : Module
{
    public SharedProjection(int dim, SplitMix64 rng) => Proj = RegisterModule("proj", new Linear(dim, dim, rng: rng));

    public Linear Proj { get; }

    /// <summary>u [B, d] → s [B, d].</summary>
    public Tensor Forward(Tensor u) => Proj.Forward(u).Tanh();
}
