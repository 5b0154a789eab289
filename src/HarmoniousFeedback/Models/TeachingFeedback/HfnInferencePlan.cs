using System.Numerics.Tensors;
using HarmoniousFeedback.Nn;
using Tensor = HarmoniousFeedback.Nn.Tensor;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// A frozen, allocation-free inference plan of a trained <see cref="HarmoniousFeedbackNetwork"/> for one performance at a time
/// (batch 1, evaluation mode: dropout off, batch norm with its running statistics, no gradients) — the path of
/// <see cref="HarmoniousFeedbackModel.Predict"/>, <c>hfb feedback</c> and <see cref="StreamingFeedback"/>. It computes the
/// formulas of <see cref="HarmoniousFeedbackNetwork"/> (docs/feedback.md) step by step on plain arrays:
/// <list type="bullet">
/// <item>the encoder's blocks with the batch norm folded into the convolutions (<see cref="FoldedConvStack"/>:
/// W' = W·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β), the student's S = X ⊙ A and the reference's S_R = R ⊙ A as two images
/// (on two threads when <see cref="Nn.Kernels.Gemm.MaxThreads"/> ≥ 2);</item>
/// <item>the factor branch, the attention map (the 1 → 1 salience convolution as shifted fused multiply-adds), the pooling
/// over frequency and time, the frame convolutions (k = 3 as dot products over an unfolded [T', 3·F] copy, k = 1 as dot
/// products), the masked clip statistics, the heads and HFI's K iterations with the normalised adjacency
/// D^−½(σ(Λ) + I)D^−½ and the steps σ(ρ) computed once.</item>
/// </list>
/// Inputs [T × M] are transposed once into the plan's [M, T] buffers; every buffer is kept and reused, so after the first
/// call at a given length (or a longer one) a call allocates only its result arrays. Outputs equal
/// <see cref="HarmoniousFeedbackNetwork.Forward(HfnBatch)"/> in eval mode up to float rounding: the fold rounds W·s once, and sums run in
/// another order (tested for every ablation to 1e-5 absolute on probabilities, scores, deficits, emotion, factors, attention
/// and the representation, see the tests).
/// <para>A snapshot: it copies every parameter and buffer when built. <see cref="IsCurrent"/> compares the network's
/// tensors with that copy (≈ 0.2 M floats, tens of microseconds), so a holder can rebuild the plan after training or
/// <see cref="Module.LoadStateDict"/> (<see cref="HarmoniousFeedbackModel"/> does, per call). Not thread-safe: one caller
/// at a time (the model holds a lock).</para>
/// </summary>
public sealed class HfnInferencePlan
{
    private readonly (Tensor Source, float[] Copy)[] _snapshot;
    private readonly FoldedConvStack _encoder;
    private readonly int _m, _p, _k, _q, _c, _h, _n, _fin, _zDim;
    private readonly bool _reference, _factorsOn, _attentionOn;
    // factor branch
    private readonly float[]? _fW1, _fB1, _fW2, _fB2;
    private readonly int _fHidden;
    // attention
    private readonly float[]? _aBase, _aU, _aGW, _aGB, _aTW, _aTB, _aSal;
    private readonly float _aSalBias;
    private readonly int _d;
    // frame convolutions and heads
    private readonly float[] _frameW, _frameB, _defW, _defB, _issueW, _issueB, _scoreW, _scoreB, _emoW, _emoB;
    // note comparison: μ and s of NoteComparisonScaler
    private readonly float[] _noteMean = [], _noteScale = [];
    // HFI
    private readonly int _iterations, _nodeDim;
    private readonly float[]? _nodeW, _nodeB, _gcnW, _adj, _gcnB, _targetW, _targetB, _step, _issueMap;

    // buffers (grown with the frame count, then reused)
    private int _tCap = -1;
    private float[] _x = [], _r = [], _g = [], _att = [], _encIn = [], _encOut = [], _pooled = [], _cols = [], _u = [], _uT = [], _def = [], _energy = [];
    private readonly float[] _phi, _hidden = [], _factors = new float[3], _emb = [], _gate, _timeW = new float[2], _z, _ze;
    private readonly float[] _logits0, _scores0, _emotion, _logits, _scores, _probs, _iterates, _nodes, _xw, _hk;

    /// <summary>Freezes <paramref name="network"/> (any ablation of <see cref="HarmoniousFeedbackNetworkOptions"/>).</summary>
    public HfnInferencePlan(HarmoniousFeedbackNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        var o = network.Options;
        _snapshot = [.. network.NamedParameters().Concat(network.NamedBuffers()).Select(p => (p.Value, p.Value.ToArray()))];
        _m = o.NMels; _p = network.PoolFactor; _k = network.AlignmentFeatures; _q = network.NoteFeatures; _n = HarmoniousFeedbackNetwork.Dimensions.Count;
        _reference = o.ReferenceStream; _factorsOn = network.FactorBranch is not null; _attentionOn = network.Attention is not null;
        _encoder = new FoldedConvStack(network.Encoder.Blocks);
        _c = network.Encoder.OutChannels;
        _h = o.FrameHidden;
        _fin = _reference ? 4 * _c + _k : 2 * _c;
        _zDim = 2 * _h + 4 * _k + _q;
        if (network.Notes is { } nc) { _noteMean = nc.Mean.ToArray(); _noteScale = nc.Scale.ToArray(); }
        if (network.FactorBranch is { } fb)
        {
            _fW1 = fb.Hidden.Weight.ToArray(); _fB1 = fb.Hidden.Bias!.ToArray();
            _fW2 = fb.Output.Weight.ToArray(); _fB2 = fb.Output.Bias!.ToArray();
            _fHidden = fb.Hidden.Weight.Shape[0];
            _hidden = new float[_fHidden];
        }
        _phi = new float[(_reference ? 4 : 2) * _m];
        if (network.Attention is { } at)
        {
            _d = at.BaseEmbedding.Shape[0];
            _aBase = at.BaseEmbedding.ToArray(); _aU = at.FactorEmbeddings.ToArray();
            _aGW = at.FrequencyGate.Weight.ToArray(); _aGB = at.FrequencyGate.Bias!.ToArray();
            _aTW = at.TimeGate.Weight.ToArray(); _aTB = at.TimeGate.Bias!.ToArray();
            _aSal = at.Salience.Weight.ToArray(); _aSalBias = at.Salience.Bias!.Data[0];
            _emb = new float[_d];
        }
        _gate = new float[_m];
        _frameW = network.FrameConv.Weight.ToArray(); _frameB = network.FrameConv.Bias!.ToArray();
        _defW = network.DeficitConv.Weight.ToArray(); _defB = network.DeficitConv.Bias!.ToArray();
        _issueW = network.IssueHead.Weight.ToArray(); _issueB = network.IssueHead.Bias!.ToArray();
        _scoreW = network.ScoreHead.Weight.ToArray(); _scoreB = network.ScoreHead.Bias!.ToArray();
        _emoW = network.EmotionHead.Weight.ToArray(); _emoB = network.EmotionHead.Bias!.ToArray();
        _z = new float[_zDim];
        _ze = new float[_zDim + (_factorsOn ? 3 : 0)];
        _logits0 = new float[_n + 1]; _scores0 = new float[_n]; _emotion = new float[HarmoniousFeedbackNetwork.EmotionTargets.Count];
        _logits = new float[_n + 1]; _scores = new float[_n]; _probs = new float[_n + 1];
        if (network.Integration is { } hfi)
        {
            _iterations = hfi.Options.Iterations; _nodeDim = hfi.Options.NodeDim;
            _nodeW = hfi.NodeInit.Weight.ToArray(); _nodeB = hfi.NodeInit.Bias!.ToArray();
            _gcnW = hfi.Propagation.Gcn.W.ToArray(); _gcnB = hfi.Propagation.Bias.ToArray();
            using (Tensor.NoGrad()) _adj = GCNLayer.NormalizedAdjacency(hfi.Propagation.Gcn.AdjacencyLogits!.Sigmoid()).ToArray();
            _targetW = hfi.Update.Target.Weight.ToArray(); _targetB = hfi.Update.TargetBias.ToArray();
            _step = hfi.Update.Step.ToArray();
            _issueMap = hfi.IssueMap.Weight.ToArray();
        }
        _iterates = new float[(_iterations + 1) * _n];
        _nodes = new float[_n * (_nodeDim + 1)];
        _xw = new float[_n * Math.Max(1, _nodeDim)];
        _hk = new float[_n * Math.Max(1, _nodeDim)];
    }

    /// <summary>The network this plan was built from.</summary>
    public HarmoniousFeedbackNetwork Network { get; }

    /// <summary>Whether every parameter and buffer of <see cref="Network"/> still equals the copy taken when the plan was built.</summary>
    public bool IsCurrent
    {
        get
        {
            foreach (var (source, copy) in _snapshot)
                if (source.Count != copy.Length || !source.Data.SequenceEqual(copy)) return false;
            return true;
        }
    }

    /// <summary>
    /// What <see cref="HarmoniousFeedbackModel.Predict"/> returns for <paramref name="e"/> (checked with
    /// <see cref="HarmoniousFeedbackModel.Check"/>'s rules). With <paramref name="notesOnly"/> the technical heads and HFI
    /// read z with its audio part [2H + 4K] set to 0 — the decision from the note comparison alone, as modality dropout
    /// trains it (<see cref="HarmoniousFeedbackNetworkOptions.ModalityDropout"/>); the emotional head still reads all of z.
    /// </summary>
    /// <exception cref="ShapeMismatchException">An example that does not fit the network.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="notesOnly"/> for a network without note features.</exception>
    public HfnPrediction Predict(HfnExample e, bool withAttention = false, bool notesOnly = false)
    {
        int t = Compute(e, notesOnly), tOut = t / _p, len = Math.Clamp(e.Frames, 1, t), lo = Math.Clamp(len / _p, 1, tOut);
        var frames = new float[lo * _n];
        for (int j = 0; j < lo; j++)
            for (int k = 0; k < _n; k++) frames[j * _n + k] = _def[k * tOut + j];
        var (starts, ends) = HfnBatching.FrameSpans(e.Student.FrameTimes.Length > 0 ? e.Student.FrameTimes[0] : 0, e.Hop, _p, lo);
        float[]? attention = null;
        if (withAttention && _attentionOn)
        {
            attention = new float[e.Frames * _m];
            for (int i = 0; i < e.Frames; i++)
                for (int w = 0; w < _m; w++) attention[i * _m + w] = _att[w * t + i];
        }
        return new HfnPrediction((float[])_probs.Clone(), (float[])_scores.Clone(), (float[])_emotion.Clone(), _factorsOn ? (float[])_factors.Clone() : null,
            frames, starts, ends, attention);
    }

    /// <summary>
    /// Every part of the forward pass for <paramref name="e"/> as <see cref="HarmoniousFeedbackNetwork.Forward(HfnBatch)"/> returns it for
    /// the batch of that one example (<see cref="HfnBatching.Inputs"/>): shapes [1, …], the frame axis padded to at least
    /// <see cref="HarmoniousFeedbackNetwork.PoolFactor"/>. New tensors (for comparison and inspection; <see cref="Predict"/> is the fast path).
    /// </summary>
    public HfnOutput Forward(HfnExample e, bool notesOnly = false)
    {
        int t = Compute(e, notesOnly), tOut = t / _p, len = Math.Clamp(e.Frames, 1, t);
        var iterates = new List<Tensor>();
        for (int k = 0; k <= (Network.Integration is null ? 0 : _iterations); k++) iterates.Add(new Tensor(_iterates.AsSpan(k * _n, _n).ToArray(), 1, _n));
        return new HfnOutput(new Tensor((float[])_logits.Clone(), 1, _n + 1), new Tensor((float[])_scores.Clone(), 1, _n), new Tensor((float[])_scores0.Clone(), 1, _n),
            new Tensor(_def.AsSpan(0, _n * tOut).ToArray(), 1, _n, tOut), new Tensor((float[])_emotion.Clone(), 1, _emotion.Length),
            _factorsOn ? new Tensor((float[])_factors.Clone(), 1, 3) : null,
            _attentionOn ? new Tensor(_att.AsSpan(0, _m * t).ToArray(), 1, 1, _m, t) : null,
            new Tensor((float[])_z.Clone(), 1, _zDim), iterates, [Math.Clamp(len / _p, 1, tOut)]);
    }

    /// <summary>The issue probabilities of the last call (softmax of the refined logits) [N + 1]; valid until the next call.</summary>
    public ReadOnlySpan<float> IssueProbabilities => _probs;

    private void CheckExample(HfnExample e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Student.Columns != _m)
            throw new ShapeMismatchException($"HFN model expects {_m} mel bins, the performance's log-mel has {e.Student.Columns}");
        if (e.Frames < 1) throw new ShapeMismatchException("HFN model: the performance has no frames");
        if (!_reference) return;
        if (e.Reference is null || e.Reference.Rows != e.Frames || e.Reference.Columns != _m)
            throw new ShapeMismatchException($"HFN model with the reference stream needs an aligned reference log-mel [{e.Frames} × {_m}], got {(e.Reference is null ? "none" : $"[{e.Reference.Rows} × {e.Reference.Columns}]")}");
        if (_k > 0 && (e.Alignment is null || e.Alignment.Rows != e.Frames || e.Alignment.Columns != _k))
            throw new ShapeMismatchException($"HFN model expects alignment features [{e.Frames} × {_k}], got {(e.Alignment is null ? "none" : $"[{e.Alignment.Rows} × {e.Alignment.Columns}]")}");
        if (_q > 0 && e.Notes?.Length != _q)
            throw new ShapeMismatchException($"HFN model expects a note comparison of {_q} values (view score-notes), got {(e.Notes is null ? "none" : $"{e.Notes.Length}")}");
    }

    private void Grow(int t)
    {
        if (t <= _tCap) return;
        int tOut = t / _p, mt = _m * t;
        _x = new float[mt];
        _r = _reference ? new float[mt] : [];
        _g = _k > 0 ? new float[_k * t] : [];
        _att = _attentionOn ? new float[mt] : [];
        _energy = new float[t];
        int images = _reference ? 2 : 1;
        _encIn = new float[images * mt];
        var (c, mo, to) = _encoder.OutputShape(_m, t);
        _encOut = new float[images * c * mo * to];
        _pooled = new float[_fin * tOut];
        _cols = new float[tOut * 3 * _fin];
        _u = new float[_h * tOut];
        _uT = new float[tOut * _h];
        _def = new float[_n * tOut];
        _tCap = t;
    }

    /// <summary>Transposes src [frames × features] into dst [features × width] (columns ≥ frames cleared).</summary>
    private static void Transpose(float[] src, int frames, int features, Span<float> dst, int width)
    {
        for (int f = 0; f < features; f++)
        {
            var row = dst.Slice(f * width, width);
            for (int i = 0; i < frames; i++) row[i] = src[i * features + f];
            row[frames..].Clear();
        }
    }

    /// <summary>The whole forward pass into the buffers; returns T (the padded frame count).</summary>
    private int Compute(HfnExample e, bool notesOnly)
    {
        if (notesOnly && _q == 0)
            throw new OptionsValidationException(nameof(HfnInferencePlan), ["notesOnly: this model reads no note comparison to decide from (train it with the score-notes view, hfb feedback-train --notes)"]);
        CheckExample(e);
        int m = _m, t = Math.Max(_p, e.Frames), tOut = t / _p, len = Math.Clamp(e.Frames, 1, t);
        Grow(t);
        var x = _x.AsSpan(0, m * t);
        Transpose(e.Student.Data, e.Frames, m, x, t);
        if (_reference) Transpose(e.Reference!.Data, e.Frames, m, _r.AsSpan(0, m * t), t);
        if (_k > 0) Transpose(e.Alignment!.Data, e.Frames, _k, _g.AsSpan(0, _k * t), t);

        // e = tanh(W₂ ReLU(W₁ [μ_X; σ_X; μ_R; σ_R] + b₁) + b₂) over the valid frames
        if (_factorsOn)
        {
            ClipStatistics(x, t, len, _phi.AsSpan(0, m), _phi.AsSpan(m, m));
            if (_reference) ClipStatistics(_r.AsSpan(0, m * t), t, len, _phi.AsSpan(2 * m, m), _phi.AsSpan(3 * m, m));
            Linear(_fW1!, _fB1!, _phi, _hidden);
            Relu(_hidden);
            Linear(_fW2!, _fB2!, _hidden, _factors);
            TensorPrimitives.Tanh(_factors, _factors);
        }

        // A = 2σ(K ∗ X + c_k + g(ω) + h(τ)); S = X ⊙ A, S_R = R ⊙ A into the encoder's input images
        var s = _encIn.AsSpan(0, m * t);
        var sr = _reference ? _encIn.AsSpan(m * t, m * t) : default;
        if (_attentionOn)
        {
            Attention(x, t);
            var a = _att.AsSpan(0, m * t);
            TensorPrimitives.Multiply(x, a, s);
            if (_reference) TensorPrimitives.Multiply(_r.AsSpan(0, m * t), a, sr);
        }
        else
        {
            x.CopyTo(s);
            if (_reference) _r.AsSpan(0, m * t).CopyTo(sr);
        }

        // E = encoder(S), E_R = encoder(S_R); P(E) = [mean_ω E; max_ω E]; h = [P(E); P(E) − P(E_R); avgpool(G)]
        int images = _reference ? 2 : 1;
        var (c, mo, to) = _encoder.OutputShape(m, t);
        _encoder.Forward(_encIn.AsSpan(0, images * m * t), images, m, t, _encOut.AsSpan(0, images * c * mo * to));
        var pooled = _pooled.AsSpan(0, _fin * tOut);
        PoolFrequency(_encOut.AsSpan(0, c * mo * to), c, mo, to, pooled[..(2 * c * tOut)]);
        if (_reference)
        {
            var pr = pooled.Slice(2 * c * tOut, 2 * c * tOut);
            PoolFrequency(_encOut.AsSpan(c * mo * to, c * mo * to), c, mo, to, pr);
            TensorPrimitives.Subtract(pooled[..(2 * c * tOut)], pr, pr);
            for (int k = 0; k < _k; k++)
                for (int j = 0; j < tOut; j++)
                    pooled[(4 * c + k) * tOut + j] = TensorPrimitives.Sum(_g.AsSpan(k * t + j * _p, _p)) / _p;
        }

        // u = ReLU(Conv1d_k3(h)) as dot products over the unfolded cols [T', 3F] (cols[j, f·3 + i] = h[f, j + i − 1])
        var cols = _cols.AsSpan(0, tOut * 3 * _fin);
        for (int j = 0; j < tOut; j++)
        {
            var row = cols.Slice(j * 3 * _fin, 3 * _fin);
            for (int f = 0; f < _fin; f++)
            {
                row[f * 3] = j > 0 ? pooled[f * tOut + j - 1] : 0f;
                row[f * 3 + 1] = pooled[f * tOut + j];
                row[f * 3 + 2] = j + 1 < tOut ? pooled[f * tOut + j + 1] : 0f;
            }
        }
        var u = _u.AsSpan(0, _h * tOut);
        var uT = _uT.AsSpan(0, tOut * _h);
        for (int o = 0; o < _h; o++)
        {
            var w = _frameW.AsSpan(o * 3 * _fin, 3 * _fin);
            for (int j = 0; j < tOut; j++)
            {
                float v = Math.Max(0f, _frameB[o] + TensorPrimitives.Dot(w, cols.Slice(j * 3 * _fin, 3 * _fin)));
                u[o * tOut + j] = v;
                uT[j * _h + o] = v;
            }
        }
        // d = σ(Conv1d_k1(u)) [N, T']
        var def = _def.AsSpan(0, _n * tOut);
        for (int k = 0; k < _n; k++)
            for (int j = 0; j < tOut; j++)
                def[k * tOut + j] = _defB[k] + TensorPrimitives.Dot(_defW.AsSpan(k * _h, _h), uT.Slice(j * _h, _h));
        TensorPrimitives.Sigmoid(def, def);

        // z = [masked-mean_τ u; masked-max_τ u; σ(G); n̂]
        int lo = Math.Clamp(len / _p, 1, tOut);
        for (int o = 0; o < _h; o++)
        {
            var valid = u.Slice(o * tOut, lo);
            _z[o] = TensorPrimitives.Sum(valid) / lo;
            _z[_h + o] = TensorPrimitives.Max(valid);
        }
        if (_k > 0)
            for (int k = 0; k < _k; k++)
            {
                var valid = _g.AsSpan(k * t, len);
                float mean = TensorPrimitives.Sum(valid) / len;
                float ss = 0;
                foreach (var v in valid) { float dv = v - mean; ss += dv * dv; }
                _z[2 * _h + k] = mean;
                _z[2 * _h + _k + k] = TensorPrimitives.Max(valid);
                _z[2 * _h + 2 * _k + k] = TensorPrimitives.Min(valid);
                _z[2 * _h + 3 * _k + k] = MathF.Sqrt(ss / len + 1e-5f);
            }
        for (int q = 0; q < _q; q++)
            _z[2 * _h + 4 * _k + q] = Math.Clamp((e.Notes![q] - _noteMean[q]) * _noteScale[q], -NoteComparisonScaler.Limit, NoteComparisonScaler.Limit);

        // heads, then HFI (the emotional head first: it reads all of z, the technical ones the notes alone when asked)
        _z.CopyTo(_ze, 0);
        if (_factorsOn) _factors.CopyTo(_ze, _zDim);
        Linear(_emoW, _emoB, _ze, _emotion);
        if (notesOnly) _z.AsSpan(0, 2 * _h + 4 * _k).Clear();
        Linear(_issueW, _issueB, _z, _logits0);
        Linear(_scoreW, _scoreB, _z, _scores0);
        TensorPrimitives.Sigmoid(_scores0, _scores0);
        var f0 = _iterates.AsSpan(0, _n);
        for (int k = 0; k < _n; k++) f0[k] = 1f - _scores0[k];
        if (Network.Integration is null)
        {
            _logits0.CopyTo(_logits, 0);
            _scores0.CopyTo(_scores, 0);
        }
        else Integrate();
        TensorPrimitives.SoftMax(_logits, _probs);
        return t;
    }

    /// <summary>HFI: N₀ = [reshape(W_n z + b_n, N, D); f₀]; K × (H = ReLU(Â·N·W + b), t = σ(H·w + c), f += η ⊙ (t − f), N = [H; f]); ℓ = ℓ₀ + W_o f_K, s = 1 − f_K.</summary>
    private void Integrate()
    {
        int n = _n, d = _nodeDim, d1 = d + 1;
        var nodes = _nodes.AsSpan(0, n * d1);
        for (int i = 0; i < n; i++)
        {
            for (int q = 0; q < d; q++)
            {
                int row = i * d + q;
                nodes[i * d1 + q] = _nodeB![row] + TensorPrimitives.Dot(_nodeW.AsSpan(row * _zDim, _zDim), _z);
            }
            nodes[i * d1 + d] = _iterates[i];
        }
        var xw = _xw.AsSpan(0, n * d);
        var hk = _hk.AsSpan(0, n * d);
        for (int it = 1; it <= _iterations; it++)
        {
            // xw = N · W  ([N, D+1] · [D+1, D])
            xw.Clear();
            for (int i = 0; i < n; i++)
                for (int a = 0; a < d1; a++)
                    TensorPrimitives.FusedMultiplyAdd(_gcnW.AsSpan(a * d, d), nodes[i * d1 + a], xw.Slice(i * d, d), xw.Slice(i * d, d));
            // H = ReLU(Â · xw + b)
            for (int i = 0; i < n; i++)
            {
                var hr = hk.Slice(i * d, d);
                _gcnB.AsSpan(0, d).CopyTo(hr);
                for (int j = 0; j < n; j++) TensorPrimitives.FusedMultiplyAdd(xw.Slice(j * d, d), _adj![i * n + j], hr, hr);
                Relu(hr);
            }
            var prev = _iterates.AsSpan((it - 1) * n, n);
            var next = _iterates.AsSpan(it * n, n);
            for (int i = 0; i < n; i++)
            {
                float target = Sigmoid(TensorPrimitives.Dot(hk.Slice(i * d, d), _targetW) + _targetB![i]);
                next[i] = prev[i] + (target - prev[i]) * _step![i];
            }
            for (int i = 0; i < n; i++)
            {
                hk.Slice(i * d, d).CopyTo(nodes.Slice(i * d1, d));
                nodes[i * d1 + d] = next[i];
            }
        }
        var f = _iterates.AsSpan(_iterations * n, n);
        for (int c = 0; c <= n; c++) _logits[c] = _logits0[c] + TensorPrimitives.Dot(_issueMap.AsSpan(c * n, n), f);
        for (int k = 0; k < n; k++) _scores[k] = 1f - f[k];
    }

    /// <summary>The attention map A [M, T] into <c>_att</c> (see <see cref="EmotionAttention"/>).</summary>
    private void Attention(ReadOnlySpan<float> x, int t)
    {
        int m = _m, d = _d;
        // z = b + e·U
        _aBase!.CopyTo(_emb, 0);
        if (_factorsOn)
            for (int f = 0; f < 3; f++) TensorPrimitives.FusedMultiplyAdd(_aU.AsSpan(f * d, d), _factors[f], _emb, _emb);
        Linear(_aGW!, _aGB!, _emb, _gate);
        Linear(_aTW!, _aTB!, _emb, _timeW);
        // E(τ) = mean_ω X(ω, τ); onset = max(0, E(τ) − E(τ − 1)), E(−1) = E(0); h(τ) = E·w₀ + onset·w₁
        var energy = _energy.AsSpan(0, t);
        energy.Clear();
        for (int w = 0; w < m; w++) TensorPrimitives.Add(energy, x.Slice(w * t, t), energy);
        TensorPrimitives.Divide(energy, m, energy);
        var a = _att.AsSpan(0, m * t);
        // k = K ∗ X + c_k (3 × 3, zero padding 1): row ω of A starts at c_k, then each tap as a shifted fused multiply-add
        for (int w = 0; w < m; w++)
        {
            var row = a.Slice(w * t, t);
            row.Fill(_aSalBias);
            for (int i = 0; i < 3; i++)
            {
                int src = w + i - 1;
                if ((uint)src >= (uint)m) continue;
                var xr = x.Slice(src * t, t);
                float w0 = _aSal![i * 3], w1 = _aSal[i * 3 + 1], w2 = _aSal[i * 3 + 2];
                if (t > 1) TensorPrimitives.FusedMultiplyAdd(xr[..(t - 1)], w0, row[1..], row[1..]);
                TensorPrimitives.FusedMultiplyAdd(xr, w1, row, row);
                if (t > 1) TensorPrimitives.FusedMultiplyAdd(xr[1..], w2, row[..(t - 1)], row[..(t - 1)]);
            }
        }
        float tw0 = _timeW[0], tw1 = _timeW[1];
        // the time term h(τ), shared by every row, kept in the energy buffer's place after use
        float previous = energy[0];
        for (int j = 0; j < t; j++)
        {
            float en = energy[j], onset = Math.Max(0f, en - previous);
            previous = en;
            energy[j] = en * tw0 + onset * tw1;
        }
        for (int w = 0; w < m; w++)
        {
            var row = a.Slice(w * t, t);
            TensorPrimitives.Add(row, _gate[w], row);
            TensorPrimitives.Add(row, energy, row);
        }
        TensorPrimitives.Sigmoid(a, a);
        TensorPrimitives.Multiply(a, 2f, a);
    }

    /// <summary>μ(ω) and σ(ω) = √(mean((X − μ)²) + 10⁻⁵) over the first <paramref name="len"/> frames of each row of x [M, T].</summary>
    private void ClipStatistics(ReadOnlySpan<float> x, int t, int len, Span<float> mean, Span<float> std)
    {
        for (int w = 0; w < _m; w++)
        {
            var row = x.Slice(w * t, len);
            float mu = TensorPrimitives.Sum(row) / len;
            float ss = 0;
            foreach (var v in row) { float dv = v - mu; ss += dv * dv; }
            mean[w] = mu;
            std[w] = MathF.Sqrt(ss / len + 1e-5f);
        }
    }

    /// <summary>[C, M', T'] → [mean over M' (C rows); max over M' (C rows)] each [T'].</summary>
    private static void PoolFrequency(ReadOnlySpan<float> e, int c, int mo, int to, Span<float> dst)
    {
        for (int ch = 0; ch < c; ch++)
        {
            var mean = dst.Slice(ch * to, to);
            var max = dst.Slice((c + ch) * to, to);
            var plane = e.Slice(ch * mo * to, mo * to);
            plane[..to].CopyTo(mean);
            plane[..to].CopyTo(max);
            for (int r = 1; r < mo; r++)
            {
                var row = plane.Slice(r * to, to);
                TensorPrimitives.Add(mean, row, mean);
                TensorPrimitives.Max(max, row, max);
            }
            TensorPrimitives.Divide(mean, mo, mean);
        }
    }

    /// <summary>y = W x + b, W [out, in] row-major (PyTorch's Linear).</summary>
    private static void Linear(float[] w, float[] b, ReadOnlySpan<float> x, Span<float> y)
    {
        int inF = x.Length;
        for (int o = 0; o < y.Length; o++) y[o] = b[o] + TensorPrimitives.Dot(w.AsSpan(o * inF, inF), x);
    }

    private static void Relu(Span<float> v) => TensorPrimitives.Max(v, 0f, v);

    private static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));
}
