using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Trains an HFN / HFN–HFI (<see cref="HarmoniousFeedbackTrainer"/>) from a table: the input views, the dominant issue
/// (<c>Label</c>), and the corpus's targets (<see cref="FeedbackColumns"/>). The fitted <see cref="FeedbackPredictionTransformer"/>
/// adds the multiclass outputs every experiment table reads (<c>Score</c> over the seven issue classes, <c>PredictedLabel</c>)
/// and the feedback outputs (<c>DimensionScores</c>, <c>Emotion</c>, <c>FrameScores</c>, <c>FrameSeconds</c>).
/// </summary>
public sealed class FeedbackTrainer : IEstimator<FeedbackPredictionTransformer>
{
    public FeedbackTrainer(FeedbackTrainerColumns columns, HarmoniousFeedbackNetworkOptions network, HfnTrainingOptions training, int seed)
    {
        network.Validate();
        training.Validate();
        if (network.ReferenceStream && columns.Reference is null)
            throw new SchemaMismatchException("FeedbackTrainer: the reference stream is on but no reference column is given (view reference-logmel), or set ReferenceStream = false");
        if (!network.ReferenceStream && columns.Notes is not null)
            throw new SchemaMismatchException("FeedbackTrainer: a note-comparison column is part of the reference stream, which is off; drop the column or set ReferenceStream = true");
        Columns = columns;
        Network = network;
        Training = training;
        Seed = seed;
    }

    public FeedbackTrainerColumns Columns { get; }
    public HarmoniousFeedbackNetworkOptions Network { get; }
    public HfnTrainingOptions Training { get; }
    public int Seed { get; }
    public IProgress<EpochReport>? Observer { get; init; }

    private const string Stage = nameof(FeedbackTrainer);

    public Schema GetOutputSchema(Schema input)
    {
        input.Require(Stage, Columns.Student, ColumnType.Sequence(Network.NMels), $"The HFN reads the normalised log-mel with NMels = {Network.NMels} bins (view logmel with nMels = {Network.NMels}).");
        if (Network.ReferenceStream)
        {
            input.Require(Stage, Columns.Reference!, ColumnType.Sequence(Network.NMels), "The reference stream reads the aligned reference log-mel (view reference-logmel) with the student's bins.");
            if (Columns.Alignment is not null) input.Require(Stage, Columns.Alignment, ColumnType.Sequence(0), "Alignment features come from view alignment.");
            if (Columns.Notes is not null) input.Require(Stage, Columns.Notes, ColumnType.Vector(), "The note comparison with the score comes from view score-notes.");
        }
        input.Require(Stage, Columns.Label, ColumnType.String);
        input.Require(Stage, Columns.Targets, FeedbackColumns.TargetsType, "A teaching-feedback dataset gives the targets (hfb data prepare feedback; the experiment runner adds the column).");
        input.Require(Stage, Columns.Spans, FeedbackColumns.SpansType, "A teaching-feedback dataset gives the deviation spans.");
        return FeedbackPredictionTransformer.OutputSchema(input);
    }

    public FeedbackPredictionTransformer Fit(DataTable input)
    {
        GetOutputSchema(input.Schema);
        if (input.RowCount == 0) throw new DatasetException($"{Stage}: the training data is empty");
        string? reference = Network.ReferenceStream ? Columns.Reference : null, alignment = Network.ReferenceStream ? Columns.Alignment : null, notes = Network.ReferenceStream ? Columns.Notes : null;
        var examples = FeedbackPredictionTransformer.Examples(input, Columns.Student, reference, alignment, notes);
        var labels = input.Column<string>(Columns.Label);
        var t = input.Column<float[]>(Columns.Targets);
        var s = input.Column<FeatureMatrix>(Columns.Spans);
        var targets = Enumerable.Range(0, input.RowCount).Select(i => FeedbackColumns.Decode(labels[i], t[i], s[i])).ToArray();
        var groups = Columns.Group is not null && input.Schema.Contains(Columns.Group)
            ? input.Column<string>(Columns.Group).ToArray()
            : Enumerable.Range(0, input.RowCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var model = new HarmoniousFeedbackTrainer(Network, Training, Seed) { Observer = Observer }.Fit(examples, targets, groups);
        return new FeedbackPredictionTransformer(Columns.Student, reference, alignment, model) { Notes = notes };
    }
}
