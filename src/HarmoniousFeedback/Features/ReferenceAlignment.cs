using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// A teacher's comparison of a performance with the score, as features: the reference rendition (the score played back)
/// is aligned to the performance by DTW on chroma, its log-mel is warped onto the performance's frames, and eight
/// per-frame features describe how the two differ. Every output has one row per performance frame (the log-mel's
/// frame rate), so the HFN reads them beside the performance's own spectrogram.
/// <para><b>Path.</b> Chroma C_s, C_r (<see cref="Chroma"/>, librosa chroma_stft, or with <see cref="ReferenceAlignmentOptions.PitchProfile"/>
/// = Crp the timbre-reduced <see cref="CrpChroma"/>, used as it is instead of compressed; same hop as the log-mel; a frame whose
/// level L (below) is more than <see cref="ReferenceAlignmentOptions.SilenceDb"/> under the clip's loudest is silent and
/// its chroma is set to 0), compressed c ↦ log(1 + γc), averaged over ±<see cref="ReferenceAlignmentOptions.ChromaSmoothingSeconds"/>,
/// with a 13th element 1 for a silent frame so silence matches silence; cost c(i, j) = 1 − cos(v_s(i), v_r(j)); <see cref="Dtw.Align(ReadOnlySpan{float}, int, int, double, bool, bool)"/>
/// with both ends anchored and step penalty δ. Sequences whose n·m exceeds <see cref="Dtw.MaxCells"/>/2 are aligned at
/// a decimated rate q (chroma averaged over q frames) and the path is scaled back. π(i) = mean reference frame of the
/// path cells of row i (<see cref="Dtw.ReferencePositions"/>); ĵ(i) = round(π(i)); π̃ = running median of π over
/// ±<see cref="ReferenceAlignmentOptions.PathMedianSeconds"/> (shrunk symmetrically at the ends).</para>
/// <para><b>Features</b> [T_s × 8], h = hop/sr, levels L(i) = 10·log₁₀(mean_ω 10^{D(i,ω)/10}) and onset strengths
/// O(i) = mean_ω max(0, D(i,ω) − D(i−1,ω)) from the dB log-mel D:
/// <list type="number">
/// <item><c>log_tempo_ratio</c> = clamp(ln max(0.05, (π̃(i+w) − π̃(i−w))/(2w)), −1, 1), w = tempo window/2 in frames (indices clamped): &gt; 0 where the performance is faster than the score;</item>
/// <item><c>timing_residual</c> = clamp((π(i) − mean_{|k−i|≤w'} π̃(k))·h/0.1 s, −1, 1): local timing jitter against the smoothed path, in 100 ms (w' = residual window/2, shrunk symmetrically near the ends);</item>
/// <item><c>chroma_distance</c> = 1 − cos(C_s(i), C_r(ĵ)) (0 when both are silent, 1 when one is);</item>
/// <item><c>chroma_excess</c> = Σ_c max(0, C_s(i,c) − C_r(ĵ,c))/12: pitch classes played that the score does not have there;</item>
/// <item><c>chroma_deficit</c> = Σ_c max(0, C_r(ĵ,c) − C_s(i,c))/12: pitch classes the score has that were not played;</item>
/// <item><c>level_difference</c> = clamp((L_s(i) − L_r(ĵ) − median_k(L_s(k) − L_r(ĵ(k))))/20 dB, −2, 2): louder/softer than written, the overall gain removed;</item>
/// <item><c>onset_difference</c> = clamp(Ô_s(i)/P₉₅(O_s) − Ô_r(ĵ)/P₉₅(O_r), −2, 2) with Ô the maximum over ±2 frames (attacks one frame off the path are not missing) and P₉₅ each recording's 95th-percentile onset strength (so instruments with sharper attacks compare alike): attacks that are extra (&gt; 0) or missing (&lt; 0);</item>
/// <item><c>contrast_difference</c> = clamp((σ_{|k−i|≤w''} L_s(k) − σ_{|k−i|≤w''} L_r(ĵ(k)))/10 dB, −2, 2): dynamic contrast exaggerated (&gt; 0) or flattened (&lt; 0).</item>
/// </list>
/// The two timing features are 0 in the release tail — performance frames after the last one within 30 dB of the
/// performance's loudest whose reference position is also after the reference's last such frame — where decaying notes
/// give the path no timing to follow.</para>
/// <para>The aligned reference spectrogram is R̃(i, ω) = X_r(ĵ(i), ω) with X the <see cref="NormalizedLogMel"/> of each recording.</para>
/// <para><b>Speed.</b> The log-mel and chroma frames are computed 8 at a time (<see cref="RealFftBatch"/>, bit-identical to
/// <see cref="LogMelSpectrogram"/> and <see cref="Chroma"/>); a reference used for many performances or windows can be
/// prepared once (<see cref="ReferenceFeatures"/>, <see cref="Compute(AudioClip, ReferenceFeatures, int, int)"/>); the DTW
/// costs are computed 8 columns per SIMD step (<see cref="Costs"/>, ≤ 1e-6 from 1 − Dot per cell), 32 rows at a time while
/// the recursion consumes them (<see cref="AlignCosine"/>: the n × m cost matrix is never stored), and the recursion runs eight
/// rows per vector step (<see cref="Dtw.Align(Action{int, int, Span{float}}, int, int, double, bool, bool)"/>, bit-identical to the two-row loop); L is summed by vectorised exp (≈ 1e-14 dB from the
/// scalar <see cref="LevelsScalar"/>) and O by vectorised double sums (<see cref="OnsetsScalar"/>, 1e-12 relative); only the
/// reference rows on the path are normalised. The filterbanks, windows and FFT tables are built once per options value
/// and shared (<c>ReferenceAlignmentFrames.For</c>). Against the implementation before these changes (kept in the tests,
/// four recordings): identical spectrograms, paths and positions, DTW cost within 1.2e-7 per path cell, features within
/// 1e-6. Version 3 (this one) sums the chroma filterbank in bin order by fused multiply–adds (<see cref="Chroma"/>):
/// chroma and the three chroma features move by float rounding from version 2; the paths of the test recordings and
/// the <c>hfb feedback</c> reports checked are unchanged. Per 3 s window with the score prepared once: ≈ 4–5.5 CPU ms
/// (from ≈ 7–7.5; bench/README.md).</para>
/// </summary>
public sealed class ReferenceAlignment
{
    /// <summary>Bumped whenever the computation changes (feature caches key on it).</summary>
    public const int Version = 3;   // 3: the chroma filterbank summed in bin order by fused multiply–adds (Chroma.Row): float-rounding changes

    /// <summary>Names of the eight per-frame features, in column order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
        ["log_tempo_ratio", "timing_residual", "chroma_distance", "chroma_excess", "chroma_deficit", "level_difference", "onset_difference", "contrast_difference"];

    private readonly ReferenceAlignmentFrames _frames;

    public ReferenceAlignment(ReferenceAlignmentOptions? options = null)
    {
        Options = options ?? new ReferenceAlignmentOptions();
        Options.Validate();
        _frames = ReferenceAlignmentFrames.For(Options);
    }

    public ReferenceAlignmentOptions Options { get; }

    /// <summary>Aligns <paramref name="reference"/> (the score rendered) to <paramref name="performance"/>; both mono at <see cref="ReferenceAlignmentOptions.SampleRate"/>.</summary>
    public ReferenceAlignmentResult Compute(AudioClip performance, AudioClip reference) => Compute(performance, reference, contrast: false);

    /// <summary>
    /// <see cref="Compute(AudioClip, AudioClip)"/>; with <paramref name="contrast"/> the result also carries the
    /// transposition contrast (<see cref="ReferenceAlignmentResult.Contrast"/>: <see cref="Contrast(AudioClip, AudioClip)"/>
    /// from the same frames, not computed again).
    /// </summary>
    public ReferenceAlignmentResult Compute(AudioClip performance, AudioClip reference, bool contrast)
    {
        ArgumentNullException.ThrowIfNull(performance);
        ArgumentNullException.ThrowIfNull(reference);
        var (ds, cs) = _frames.Whole(performance);
        var (dr, cr) = _frames.Whole(reference);
        return Align(ds, cs, dr, cr, contrast ? ContrastCells : 0);
    }

    /// <summary>
    /// Aligns the part <c>[<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>)</c> (samples) of a
    /// reference whose frames were computed once (<see cref="ReferenceFeatures"/>) to <paramref name="performance"/>:
    /// bit-identical to <see cref="Compute(AudioClip, AudioClip)"/> with that part's samples as the reference, and cheaper
    /// when <paramref name="start"/> is a multiple of the hop (the part's frames are copied, not recomputed).
    /// </summary>
    /// <exception cref="OptionsValidationException">The part is empty or outside the reference, or <paramref name="reference"/> was built with other options.</exception>
    public ReferenceAlignmentResult Compute(AudioClip performance, ReferenceFeatures reference, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(performance);
        ArgumentNullException.ThrowIfNull(reference);
        return Compute(_frames.Whole(performance), reference, start, length);
    }

    /// <summary>
    /// The dB log-mel and chroma of a clip as <see cref="Compute(AudioClip, AudioClip)"/> computes them, for a caller that
    /// also locates the clip in the reference (<see cref="ReferenceLocator"/>) and would otherwise compute them twice.
    /// </summary>
    internal (FeatureMatrix Db, FeatureMatrix Chroma) Frames(AudioClip clip) => _frames.Whole(clip);

    /// <summary>
    /// <see cref="Compute(AudioClip, ReferenceFeatures, int, int)"/> on the performance's frames (<see cref="Frames"/>; its
    /// chroma's silent frames are zeroed in place, which <see cref="ReferenceLocator"/> has done identically); the part is validated here.
    /// </summary>
    /// <remarks>With <paramref name="contrastCells"/> &gt; 0 the result also carries the transposition contrast
    /// (<see cref="ReferenceAlignmentResult.Contrast"/>, as <see cref="Contrast(AudioClip, AudioClip)"/> computes it with at
    /// most that many DTW cells per transposition) from the same silenced frames.</remarks>
    internal ReferenceAlignmentResult Compute((FeatureMatrix Db, FeatureMatrix Chroma) performance, ReferenceFeatures reference, int start, int length, long contrastCells = 0)
    {
        var v = new OptionsValidator(nameof(ReferenceAlignment));
        v.Check(reference.Options == Options, "the reference features were computed with other alignment options than this ReferenceAlignment's; build them with the same options");
        v.Check(start >= 0 && length >= 1 && (long)start + length <= reference.Length,
            $"the reference part [{start}, {(long)start + length}) samples must be non-empty and inside the reference's {reference.Length} samples");
        v.ThrowIfAny();
        var (dr, cr) = _frames.Slice(reference, start, length);
        return Align(performance.Db, performance.Chroma, dr, cr, contrastCells);
    }

    /// <summary>
    /// How much better <paramref name="performance"/> follows <paramref name="reference"/> (the score rendered) than the same
    /// score transposed — a check that the recording plays this score, which the path cost alone cannot make: DTW finds a
    /// cheap path through almost anything (white noise, another piece in the same key), but only a performance of the
    /// score is much cheaper to align with it than with its own transpositions, and noise or an unrelated piece is not.
    /// <code>
    ///   c_k = mean cost per path cell of the DTW between the performance's chroma vectors and the reference's with the 12
    ///         pitch classes rotated by k semitones (k = 0 … 11; silence flag kept), as <see cref="Compute(AudioClip, AudioClip)"/>
    ///         aligns (silent frames, tail trim, smoothing, compression), on frames averaged over runs of q
    ///         (q the smallest with ⌈n/q⌉·⌈m/q⌉ ≤ <see cref="ContrastCells"/>)
    ///   contrast = 1 − c_0 / median_{k=1…11} c_k        ∈ (−∞, 1]: ≈ 0 when the score's key and harmony do not matter
    /// </code>
    /// (The transposition null is the one of cover-song identification, where chroma sequences are compared under the 12
    /// rotations — Serrà et al. 2008, "Chroma binary similarity and local alignment applied to cover song identification".)
    /// Both clips mono at <see cref="ReferenceAlignmentOptions.SampleRate"/>. Twelve DTWs of ≤ <see cref="ContrastCells"/>
    /// cells: tens of ms for a minute of music.
    /// </summary>
    public TranspositionContrast Contrast(AudioClip performance, AudioClip reference)
    {
        ArgumentNullException.ThrowIfNull(performance);
        ArgumentNullException.ThrowIfNull(reference);
        return Contrast(performance, reference, ContrastCells);
    }

    /// <summary><see cref="Contrast(AudioClip, AudioClip)"/> with at most <paramref name="maxCells"/> DTW cells per transposition.</summary>
    internal TranspositionContrast Contrast(AudioClip performance, AudioClip reference, long maxCells)
    {
        var (ds, cs) = _frames.Whole(performance);
        var (dr, cr) = _frames.Whole(reference);
        var f = Silenced(ds, cs, dr, cr);
        return SilencedContrast(cs, f.NTrim, cr, f.MTrim, maxCells);
    }

    /// <summary>
    /// The frames both alignments and the contrast read: n and m, the levels L(i), the chroma of frames more than
    /// SilenceDb below the loudest zeroed (in place), and the frame counts up to the tail trim (n and m without one).
    /// </summary>
    private (int N, int M, double[] Ls, double[] Lr, int NTrim, int MTrim) Silenced(FeatureMatrix ds, FeatureMatrix cs, FeatureMatrix dr, FeatureMatrix cr)
    {
        int n = Math.Min(ds.Rows, cs.Rows), m = Math.Min(dr.Rows, cr.Rows);
        var ls = Levels(ds);
        var lr = Levels(dr);
        Silence(cs, ls, n, Options.SilenceDb);
        Silence(cr, lr, m, Options.SilenceDb);
        return Options.TailDb is double tailDb
            ? (n, m, ls, lr, Math.Min(n, LastWithin(ls, n, tailDb) + 1), Math.Min(m, LastWithin(lr, m, tailDb) + 1))
            : (n, m, ls, lr, n, m);
    }

    /// <summary>The smallest run length q of frames averaged into one DTW vector with ⌈n/q⌉·⌈m/q⌉ ≤ <paramref name="maxCells"/>.</summary>
    private static int Decimation(int n, int m, long maxCells)
    {
        int q = 1;
        while ((long)((n + q - 1) / q) * ((m + q - 1) / q) > maxCells) q++;
        return q;
    }

    /// <summary>The DTW vectors of the first <paramref name="rows"/> chroma frames averaged in runs of q (<see cref="DtwVectors"/> with the options' smoothing and compression).</summary>
    private float[] Vectors(FeatureMatrix chroma, int rows, int q)
    {
        int smooth = (int)Math.Round(Options.ChromaSmoothingSeconds * Options.SampleRate / Options.HopLength);
        float gamma = Options.PitchProfile == PitchProfile.Crp ? 0f : (float)Options.ChromaCompression;   // CRP is already log-compressed (and signed)
        return DtwVectors(chroma, rows, q, gamma, smooth);
    }

    /// <summary>The contrast of chroma whose silent frames are already zeroed, on the first n and m frames, with at most <paramref name="maxCells"/> DTW cells per transposition.</summary>
    private TranspositionContrast SilencedContrast(FeatureMatrix cs, int n, FeatureMatrix cr, int m, long maxCells)
    {
        int q = Decimation(n, m, maxCells);
        var vs = Vectors(cs, n, q);
        var vr = Vectors(cr, m, q);
        int nq = vs.Length / 13, mq = vr.Length / 13;
        var costs = new double[12];
        bool parallel = (long)nq * mq >= ParallelContrastCells && FeatureParallelism.MaxDegreeOfParallelism > 1;
        var shared = parallel ? null : new float[vr.Length];      // one buffer for the sequential case
        void Transposition(int k)
        {
            var rotated = k == 0 ? vr : shared ?? new float[vr.Length];
            if (k > 0)
                for (int j = 0; j < mq; j++)
                {
                    for (int c = 0; c < 12; c++) rotated[j * 13 + (c + k) % 12] = vr[j * 13 + c];
                    rotated[j * 13 + 12] = vr[j * 13 + 12];
                }
            var (qi, _, total) = AlignCosine(vs, nq, rotated, 0, mq, Options.StepPenalty, openEnds: false);
            costs[k] = total / qi.Length;
        }
        // the 12 DTWs are independent: in parallel when each is large enough to pay for it (a whole recording, not a window)
        if (parallel)
            Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = FeatureParallelism.MaxDegreeOfParallelism }, Transposition);
        else
            for (int k = 0; k < 12; k++) Transposition(k);
        return new TranspositionContrast(costs);
    }

    /// <summary>The most DTW cells per transposition in <see cref="Contrast(AudioClip, AudioClip)"/> (longer clips are compared on frames averaged in runs): 1,000,000.</summary>
    public const long ContrastCells = 1_000_000;

    private const long ParallelContrastCells = 200_000;

    private ReferenceAlignmentResult Align(FeatureMatrix ds, FeatureMatrix cs, FeatureMatrix dr, FeatureMatrix cr, long contrastCells = 0)
    {
        var (n, m, ls, lr, ne, me) = Silenced(ds, cs, dr, cr);
        var contrast = contrastCells > 0 ? SilencedContrast(cs, ne, cr, me, contrastCells) : null;
        // the path up to the tail trim (the whole clips without one), then slope 1 to the end
        var pos = Path(cs, ne, cr, me, out double cost, out int cells);
        if (ne < n)
        {
            var head = pos;
            pos = new double[n];
            head.CopyTo(pos, 0);
            for (int i = ne; i < n; i++) pos[i] = Math.Min(m - 1, head[ne - 1] + (i - ne + 1));
        }
        var xs = Normalize(ds, Options.LogMel.TopDb!.Value);
        int mels = ds.Columns;
        var jHat = new int[n];
        for (int i = 0; i < n; i++) jHat[i] = Math.Clamp((int)Math.Round(pos[i]), 0, m - 1);

        // R̃(i) = the normalised reference row ĵ(i): only the rows the path uses are normalised (elementwise, as Normalize does)
        var aligned = new float[n * mels];
        float maxR = dr.Data.Length == 0 ? float.NegativeInfinity : TensorPrimitives.Max<float>(dr.Data);
        float inv = (float)(1.0 / Options.LogMel.TopDb!.Value);
        for (int i = 0; i < n; i++) NormalizeRow(dr.Data.AsSpan(jHat[i] * mels, mels), maxR, inv, aligned.AsSpan(i * mels, mels));
        var times = ds.FrameTimes.AsSpan(0, n).ToArray();
        var features = Features(pos, jHat, cs, cr, ls, lr, Onsets(ds), Onsets(dr), n);
        var student = n == ds.Rows ? xs : new FeatureMatrix(xs.Data.AsSpan(0, n * mels).ToArray(), n, mels, xs.FeatureNames, times, xs.Options);
        return new ReferenceAlignmentResult(student,
            new FeatureMatrix(aligned, n, mels, dr.FeatureNames, times, Options),
            new FeatureMatrix(features, n, FeatureNames.Count, FeatureNames, times, Options),
            pos, m, cost)
        { MeanCost = cost / cells, Contrast = contrast };
    }


    private double[] Path(FeatureMatrix cs, int n, FeatureMatrix cr, int m, out double cost, out int cells)
    {
        int q = Decimation(n, m, Dtw.MaxCells / 2);
        var vs = Vectors(cs, n, q);
        var vr = Vectors(cr, m, q);
        int nq = vs.Length / 13, mq = vr.Length / 13;
        var (qi, rj, total) = AlignCosine(vs, nq, vr, 0, mq, Options.StepPenalty, openEnds: false);
        cost = total;
        cells = qi.Length;
        var pq = Dtw.ReferencePositions(qi, rj, nq);
        if (q == 1) return pq;
        var pos = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = (i - (q - 1) / 2.0) / q;               // position of frame i on the decimated axis
            int a = Math.Clamp((int)Math.Floor(u), 0, nq - 1), b = Math.Min(a + 1, nq - 1);
            double t = Math.Clamp(u - a, 0, 1);
            pos[i] = Math.Clamp(((1 - t) * pq[a] + t * pq[b]) * q + (q - 1) / 2.0, 0, m - 1);
        }
        return pos;
    }

    /// <summary>
    /// DTW (<see cref="Dtw.Align(Action{int, int, Span{float}}, int, int, double, bool, bool)"/>) of the 13-element vectors
    /// <paramref name="vs"/> [n × 13] against <paramref name="vr"/>'s rows from … from + m − 1 on the cost of <see cref="Costs"/>,
    /// computed block by block of rows (the reference transposed once) instead of as a whole n × m matrix: the same costs,
    /// so the same path and total; both ends anchored, or (<paramref name="openEnds"/>) both open.
    /// </summary>
    internal static (int[] Query, int[] Reference, double Cost) AlignCosine(float[] vs, int n, float[] vr, int from, int m, double stepPenalty, bool openEnds)
    {
        const int D = 13;
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var bt = pool.Rent(D * m);
        try
        {
            Transpose(vr, from, m, bt);
            return Dtw.Align((first, count, rows) => CostRows(vs.AsSpan(first * D, count * D), count, bt, m, rows), n, m, stepPenalty, openEnds, openEnds);
        }
        finally
        {
            pool.Return(bt);
        }
    }

    /// <summary>bt[k·m + j] = vr[(from + j)·13 + k]: the reference vectors column-major, for <see cref="CostRows"/>.</summary>
    private static void Transpose(ReadOnlySpan<float> vr, int from, int m, Span<float> bt)
    {
        const int D = 13;
        for (int j = 0; j < m; j++)
            for (int k = 0; k < D; k++) bt[k * m + j] = vr[(from + j) * D + k];
    }

    /// <summary>
    /// The DTW cost c(i, j) = 1 − v_s(i)·v_r(from + j) of 13-element vectors ([n × 13] and [≥ from + m rows × 13], row-major)
    /// into <paramref name="c"/> [n × m]: the reference vectors transposed once, then 8 columns per SIMD step with the 13
    /// products summed in order. Agrees with <see cref="CostsScalar"/> (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    /// per cell, another summation order) to a few float ulp (tests: 1e-6, and the same DTW paths on the test recordings).
    /// </summary>
    internal static void Costs(ReadOnlySpan<float> vs, int n, ReadOnlySpan<float> vr, int from, int m, Span<float> c)
    {
        const int D = 13;
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var bt = pool.Rent(D * m);
        try
        {
            Transpose(vr, from, m, bt);
            CostRows(vs, n, bt, m, c);
        }
        finally
        {
            pool.Return(bt);
        }
    }

    /// <summary><see cref="Costs"/> of the rows <paramref name="vs"/> [n × 13] against the transposed reference <paramref name="bt"/> (<see cref="Transpose"/>).</summary>
    private static void CostRows(ReadOnlySpan<float> vs, int n, float[] bt, int m, Span<float> c)
    {
        const int D = 13;
        ref float b0 = ref bt[0];
        for (int i = 0; i < n; i++)
        {
            var a = vs.Slice(i * D, D);
            var row = c.Slice(i * m, m);
            int j = 0;
            if (Vector256.IsHardwareAccelerated && m >= Vector256<float>.Count)
            {
                // the 13 broadcasts of row i hoisted out of the column loop (15 of the 16 vector registers)
                var a0 = Vector256.Create(a[0]); var a1 = Vector256.Create(a[1]); var a2 = Vector256.Create(a[2]); var a3 = Vector256.Create(a[3]);
                var a4 = Vector256.Create(a[4]); var a5 = Vector256.Create(a[5]); var a6 = Vector256.Create(a[6]); var a7 = Vector256.Create(a[7]);
                var a8 = Vector256.Create(a[8]); var a9 = Vector256.Create(a[9]); var a10 = Vector256.Create(a[10]); var a11 = Vector256.Create(a[11]);
                var a12 = Vector256.Create(a[12]);
                var one = Vector256.Create(1f);
                ref float r0 = ref MemoryMarshal.GetReference(row);
                for (; j + Vector256<float>.Count <= m; j += Vector256<float>.Count)
                {
                    ref float b = ref Unsafe.Add(ref b0, j);
                    var acc = a0 * Vector256.LoadUnsafe(ref b);
                    acc += a1 * Vector256.LoadUnsafe(ref b, (nuint)m);
                    acc += a2 * Vector256.LoadUnsafe(ref b, (nuint)(2 * m));
                    acc += a3 * Vector256.LoadUnsafe(ref b, (nuint)(3 * m));
                    acc += a4 * Vector256.LoadUnsafe(ref b, (nuint)(4 * m));
                    acc += a5 * Vector256.LoadUnsafe(ref b, (nuint)(5 * m));
                    acc += a6 * Vector256.LoadUnsafe(ref b, (nuint)(6 * m));
                    acc += a7 * Vector256.LoadUnsafe(ref b, (nuint)(7 * m));
                    acc += a8 * Vector256.LoadUnsafe(ref b, (nuint)(8 * m));
                    acc += a9 * Vector256.LoadUnsafe(ref b, (nuint)(9 * m));
                    acc += a10 * Vector256.LoadUnsafe(ref b, (nuint)(10 * m));
                    acc += a11 * Vector256.LoadUnsafe(ref b, (nuint)(11 * m));
                    acc += a12 * Vector256.LoadUnsafe(ref b, (nuint)(12 * m));
                    (one - acc).StoreUnsafe(ref r0, (nuint)j);
                }
            }
            for (; j < m; j++)
            {
                float acc = a[0] * bt[j];
                for (int k = 1; k < D; k++) acc += a[k] * bt[k * m + j];
                row[j] = 1f - acc;
            }
        }
    }

    /// <summary>Scalar reference of <see cref="Costs"/>: 1 − <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> per cell (the implementation before it).</summary>
    internal static void CostsScalar(ReadOnlySpan<float> vs, int n, ReadOnlySpan<float> vr, int from, int m, Span<float> c)
    {
        for (int i = 0; i < n; i++)
        {
            var a = vs.Slice(i * 13, 13);
            for (int j = 0; j < m; j++) c[i * m + j] = 1f - TensorPrimitives.Dot(a, vr.Slice((from + j) * 13, 13));
        }
    }

    /// <summary>Zeros the chroma of frames more than SilenceDb below the loudest (in place).</summary>
    internal static void Silence(FeatureMatrix chroma, double[] level, int rows, double silenceDb)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < rows; i++) max = Math.Max(max, level[i]);
        for (int i = 0; i < rows; i++)
            if (level[i] < max - silenceDb) chroma.Data.AsSpan(i * 12, 12).Clear();
    }

    /// <summary>Unit-length [log(1 + γ·chroma); silent] vectors (γ = 0: the chroma as it is), averaged over ±<paramref name="smooth"/> frames, then over runs of q frames.</summary>
    internal static float[] DtwVectors(FeatureMatrix chroma, int rows, int q, float gamma, int smooth)
    {
        var frame = new float[rows * 13];
        for (int i = 0; i < rows; i++)
        {
            var src = chroma.Data.AsSpan(i * 12, 12);
            var dst = frame.AsSpan(i * 13, 13);
            bool silent = true;
            for (int c = 0; c < 12; c++) { dst[c] = gamma > 0 ? MathF.Log(1 + gamma * src[c]) : src[c]; if (src[c] != 0) silent = false; }
            if (silent) dst[12] = 1;
        }
        int nq = (rows + q - 1) / q;
        var v = new float[nq * 13];
        for (int i = 0; i < rows; i++)
        {
            var dst = v.AsSpan(i / q * 13, 13);
            for (int k = Math.Max(0, i - smooth); k <= Math.Min(rows - 1, i + smooth); k++)
                System.Numerics.Tensors.TensorPrimitives.Add(dst, frame.AsSpan(k * 13, 13), dst);
        }
        for (int i = 0; i < nq; i++)
        {
            var r = v.AsSpan(i * 13, 13);
            float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(r, r));
            if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(r, norm, r);
        }
        return v;
    }

    /// <summary>
    /// L(i) = 10·log₁₀(mean_ω 10^{D(i,ω)/10} + 1e-12) in double, vectorised: 10^{D/10} as exp(D·ln 10/10)
    /// (<see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/>) and the row sums by <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>.
    /// Agrees with <see cref="LevelsScalar"/> (Math.Pow, sequential sums) to ≈ 1e-14 dB (tests allow 1e-9 dB).
    /// </summary>
    internal static double[] Levels(FeatureMatrix db)
    {
        int rows = db.Rows, cols = db.Columns;
        var l = new double[rows];
        if (rows == 0 || cols == 0) return l;
        var pool = System.Buffers.ArrayPool<double>.Shared;
        var buf = pool.Rent(rows * cols);
        try
        {
            var p = buf.AsSpan(0, rows * cols);
            Widen(db.Data.AsSpan(0, rows * cols), p, Math.Log(10) / 10);
            TensorPrimitives.Exp(p, p);
            for (int i = 0; i < rows; i++) l[i] = 10 * Math.Log10(TensorPrimitives.Sum<double>(p.Slice(i * cols, cols)) / cols + 1e-12);
        }
        finally
        {
            pool.Return(buf);
        }
        return l;
    }

    /// <summary>y = (double)x · scale.</summary>
    private static void Widen(ReadOnlySpan<float> x, Span<double> y, double scale)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                var (lo, hi) = Vector256.Widen(v);
                (lo * s).CopyTo(y.Slice(i));
                (hi * s).CopyTo(y.Slice(i + Vector256<double>.Count));
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] * scale;
    }

    /// <summary>Scalar reference of <see cref="Levels"/>: L(i) = 10·log₁₀(mean_ω Math.Pow(10, D(i,ω)/10) + 1e-12), summed in order.</summary>
    internal static double[] LevelsScalar(FeatureMatrix db)
    {
        var l = new double[db.Rows];
        for (int i = 0; i < db.Rows; i++)
        {
            double s = 0;
            foreach (var v in db.Data.AsSpan(i * db.Columns, db.Columns)) s += Math.Pow(10, v / 10.0);
            l[i] = 10 * Math.Log10(s / db.Columns + 1e-12);
        }
        return l;
    }

    /// <summary>
    /// <see cref="NormalizedLogMel.Normalize"/> vectorised, bit-identical: X = clamp((D − max D)·(1/topDb) + 1, 0, 1) with
    /// the same float operations in the same order, elementwise.
    /// </summary>
    internal static FeatureMatrix Normalize(FeatureMatrix db, double topDb)
    {
        var d = db.Data.AsSpan();
        float max = d.Length == 0 ? float.NegativeInfinity : TensorPrimitives.Max(d);
        var x = new float[d.Length];
        NormalizeRow(d, max, (float)(1.0 / topDb), x);
        return new FeatureMatrix(x, db.Rows, db.Columns, db.FeatureNames, db.FrameTimes, db.Options);
    }

    /// <summary>x = clamp((d − max)·inv + 1, 0, 1) elementwise, in <see cref="Normalize"/>'s float operations.</summary>
    private static void NormalizeRow(ReadOnlySpan<float> d, float max, float inv, Span<float> x)
    {
        TensorPrimitives.Subtract(d, max, x);
        TensorPrimitives.Multiply(x, inv, x);
        TensorPrimitives.Add(x, 1f, x);
        TensorPrimitives.Max(x, 0f, x);
        TensorPrimitives.Min(x, 1f, x);
    }

    /// <summary>
    /// O(i) = mean_ω max(0, D(i,ω) − D(i−1,ω)) (O(0) = 0): the float differences and their maximum with 0 are exact in
    /// SIMD, the sum over ω runs in double in 4 + 4 lanes — another order than <see cref="OnsetsScalar"/>'s sequential sum
    /// (the tests allow 1e-12 relative: a double rounding per term).
    /// </summary>
    internal static double[] Onsets(FeatureMatrix db)
    {
        var o = new double[db.Rows];
        int c = db.Columns;
        ref float d = ref MemoryMarshal.GetArrayDataReference(db.Data);
        for (int i = 1; i < db.Rows; i++)
        {
            ref float cur = ref Unsafe.Add(ref d, i * c);
            ref float prev = ref Unsafe.Add(ref d, (i - 1) * c);
            double s = 0;
            int k = 0;
            if (Vector256.IsHardwareAccelerated && c >= Vector256<float>.Count)
            {
                Vector256<double> lo = default, hi = default;
                for (; k + Vector256<float>.Count <= c; k += Vector256<float>.Count)
                {
                    var diff = Vector256.Max(Vector256.LoadUnsafe(ref cur, (nuint)k) - Vector256.LoadUnsafe(ref prev, (nuint)k), Vector256<float>.Zero);
                    var (l, h) = Vector256.Widen(diff);
                    lo += l; hi += h;
                }
                s = Vector256.Sum(lo + hi);
            }
            for (; k < c; k++) s += Math.Max(0, Unsafe.Add(ref cur, k) - Unsafe.Add(ref prev, k));
            o[i] = s / c;
        }
        return o;
    }

    /// <summary>Scalar reference of <see cref="Onsets"/>: the sum over ω in order, in double.</summary>
    internal static double[] OnsetsScalar(FeatureMatrix db)
    {
        var o = new double[db.Rows];
        int c = db.Columns;
        for (int i = 1; i < db.Rows; i++)
        {
            double s = 0;
            for (int k = 0; k < c; k++) s += Math.Max(0, db.Data[i * c + k] - db.Data[(i - 1) * c + k]);
            o[i] = s / c;
        }
        return o;
    }

    private float[] Features(double[] pos, int[] jHat, FeatureMatrix cs, FeatureMatrix cr, double[] ls, double[] lr, double[] os, double[] or, int n)
    {
        double hop = (double)Options.HopLength / Options.SampleRate;
        int w = Math.Max(1, (int)Math.Round(Options.TempoWindowSeconds / 2 / hop));
        int w2 = Math.Max(1, (int)Math.Round(Options.ResidualWindowSeconds / 2 / hop));
        int w3 = Math.Max(1, (int)Math.Round(Options.ContrastWindowSeconds / 2 / hop));
        int k = FeatureNames.Count;
        var f = new float[n * k];
        var levelDiff = new double[n];
        for (int i = 0; i < n; i++) levelDiff[i] = ls[i] - lr[jHat[i]];
        var sorted = (double[])levelDiff.Clone();
        Array.Sort(sorted);
        double median = sorted[n / 2];
        var alignedLr = new double[n];
        for (int i = 0; i < n; i++) alignedLr[i] = lr[jHat[i]];
        var smoothPos = RunningMedian(pos, Math.Max(0, (int)Math.Round(Options.PathMedianSeconds / hop)));
        var onsetS = MaxFilter(os, 2);
        var onsetR = MaxFilter(or, 2);
        double scaleS = Percentile95(os), scaleR = Percentile95(or);
        int activeS = LastActive(ls), activeR = LastActive(lr);
        for (int i = 0; i < n; i++)
        {
            var row = f.AsSpan(i * k, k);
            int a = Math.Max(0, i - w), b = Math.Min(n - 1, i + w);
            bool tail = i > activeS && jHat[i] > activeR;
            double rho = b > a ? (smoothPos[b] - smoothPos[a]) / (b - a) : 1;
            row[0] = tail ? 0f : (float)Math.Clamp(Math.Log(Math.Max(0.05, rho)), -1, 1);
            int half = Math.Min(w2, Math.Min(i, n - 1 - i));   // symmetric window, shrunk at the ends (a straight path has no residual)
            row[1] = tail ? 0f : (float)Math.Clamp((pos[i] - Mean(smoothPos, i - half, i + half)) * hop / 0.1, -1, 1);
            var s = cs.Data.AsSpan(i * 12, 12);
            var r = cr.Data.AsSpan(jHat[i] * 12, 12);
            double dot = 0, ns = 0, nr = 0, excess = 0, deficit = 0;
            for (int c = 0; c < 12; c++)
            {
                dot += s[c] * r[c]; ns += s[c] * s[c]; nr += r[c] * r[c];
                excess += Math.Max(0, s[c] - r[c]);
                deficit += Math.Max(0, r[c] - s[c]);
            }
            row[2] = ns == 0 && nr == 0 ? 0f : ns == 0 || nr == 0 ? 1f : (float)(1 - dot / Math.Sqrt(ns * nr));
            row[3] = (float)(excess / 12);
            row[4] = (float)(deficit / 12);
            row[5] = (float)Math.Clamp((levelDiff[i] - median) / 20, -2, 2);
            row[6] = (float)Math.Clamp(onsetS[i] / scaleS - onsetR[jHat[i]] / scaleR, -2, 2);
            row[7] = (float)Math.Clamp((Std(ls, i - w3, i + w3) - Std(alignedLr, i - w3, i + w3)) / 10, -2, 2);
        }
        return f;
    }

    private static double Percentile95(double[] x)
    {
        var s = (double[])x.Clone();
        Array.Sort(s);
        return Math.Max(1e-3, s[(int)(0.95 * (s.Length - 1))]);
    }

    /// <summary>The last of the first <paramref name="rows"/> frames whose level is within <paramref name="db"/> dB of their loudest.</summary>
    private static int LastWithin(double[] level, int rows, double db)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < rows; i++) max = Math.Max(max, level[i]);
        for (int i = rows - 1; i >= 0; i--) if (level[i] >= max - db) return i;
        return rows - 1;
    }

    /// <summary>The last frame whose level is within 30 dB of the loudest.</summary>
    private static int LastActive(double[] level)
    {
        double max = level.Max();
        for (int i = level.Length - 1; i >= 0; i--) if (level[i] >= max - 30) return i;
        return level.Length - 1;
    }

    /// <summary>Running median over ±<paramref name="half"/> (window shrunk symmetrically at the ends).</summary>
    private static double[] RunningMedian(double[] x, int half)
    {
        var y = new double[x.Length];
        var buf = new double[2 * half + 1];
        for (int i = 0; i < x.Length; i++)
        {
            int h = Math.Min(half, Math.Min(i, x.Length - 1 - i)), len = 2 * h + 1;
            Array.Copy(x, i - h, buf, 0, len);
            Array.Sort(buf, 0, len);
            y[i] = buf[h];
        }
        return y;
    }

    private static double[] MaxFilter(double[] x, int half)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double m = double.NegativeInfinity;
            for (int k = Math.Max(0, i - half); k <= Math.Min(x.Length - 1, i + half); k++) m = Math.Max(m, x[k]);
            y[i] = m;
        }
        return y;
    }

    private static double Mean(double[] x, int from, int to)
    {
        from = Math.Max(0, from); to = Math.Min(x.Length - 1, to);
        double s = 0;
        for (int i = from; i <= to; i++) s += x[i];
        return s / (to - from + 1);
    }

    private static double Std(double[] x, int from, int to)
    {
        from = Math.Max(0, from); to = Math.Min(x.Length - 1, to);
        double mean = Mean(x, from, to), s = 0;
        for (int i = from; i <= to; i++) s += (x[i] - mean) * (x[i] - mean);
        return Math.Sqrt(s / (to - from + 1));
    }
}
