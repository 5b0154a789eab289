using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// The HFN / HFN–HFI training objective:
/// <code>
///   L = λ_issue · CE(ℓ, y_issue; class weights)                            technical cross-entropy (dominant issue)
///     + λ_emo   · [MSE(ê, y_emo) + MSE(e, y_factors)]                       emotional MSE (head; factor branch when present)
///     + λ_score · MSE(s₀, y_scores)                                         per-dimension clip scores (HFN's initial estimate)
///     + λ_frame · Σ m(τ')(d(τ') − y_frames(τ'))² / (N · Σ m(τ'))           per-frame localisation (masked)
///     + λ_hfi   · L_HFI(f₀ … f_K, 1 − y_scores)                             HFI iterations + reward (<see cref="FeedbackIntegration.Objective"/>)
///     + λ₂ · Σ θ²                                                           L2 over every parameter
/// </code>
/// The published loss is the first two terms plus L2; the score, frame and HFI terms train the outputs the method's
/// feedback needs (scores per dimension, time-localised issues, the refinement). The λ are <see cref="HfnTrainingOptions"/>.
/// </summary>
public static class HfnObjective
{
    /// <summary>The weighted total (to back-propagate) and its parts.</summary>
    public static (Tensor Total, HfnLossParts Parts) Compute(HarmoniousFeedbackNetwork net, HfnOutput o, HfnTargets y, HfnTrainingOptions options, Tensor? classWeight)
    {
        var issue = F.CrossEntropy(o.IssueLogits, y.Issue, classWeight);
        var emotion = F.MseLoss(o.Emotion, y.Emotion);
        if (o.Factors is { } e)
            emotion = emotion + F.MseLoss(e, y.Emotion.Narrow(1, HarmoniousFeedbackNetwork.FactorOffset, EmotionFactorBranch.FactorCount));
        var scores = F.MseLoss(o.InitialScores, y.Scores);

        int b = o.FrameDeficits.Shape[0], n = o.FrameDeficits.Shape[1], tOut = o.FrameDeficits.Shape[2];
        if (!y.Frames.Shape.SequenceEqual(o.FrameDeficits.Shape))
            throw new ShapeMismatchException($"HFN objective: frame targets are {Tensor.ShapeString(y.Frames.Shape)}, the network gives {Tensor.ShapeString(o.FrameDeficits.Shape)}");
        var maskData = new float[b * tOut];
        float valid = 0;
        for (int i = 0; i < b; i++)
        {
            maskData.AsSpan(i * tOut, o.FrameLengths[i]).Fill(1f);
            valid += o.FrameLengths[i];
        }
        var diff = (o.FrameDeficits - y.Frames) * new Tensor(maskData, b, 1, tOut);
        var frames = (diff * diff).Sum() / (n * valid);

        Tensor integration = Tensor.Scalar(0f);
        double reward = 0;
        if (net.Integration is { } hfi) (integration, reward) = hfi.Objective(o.Iterates, 1f - y.Scores);
        var l2 = options.L2 > 0 ? F.L2Penalty(net.Parameters(), (float)options.L2) : Tensor.Scalar(0f);

        var total = issue * (float)options.IssueWeight + emotion * (float)options.EmotionWeight + scores * (float)options.ScoreWeight
                    + frames * (float)options.FrameWeight + integration * (float)options.IntegrationWeight + l2;
        return (total, new HfnLossParts(total.Item(), issue.Item(), emotion.Item(), scores.Item(), frames.Item(), integration.Item(), l2.Item(), reward));
    }
}
