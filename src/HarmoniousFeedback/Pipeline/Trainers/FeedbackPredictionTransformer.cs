using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Applies a trained <see cref="HarmoniousFeedbackModel"/> to a table: adds <c>Score</c> (P over the seven issue
/// classes, slot names = <see cref="HarmoniousFeedbackNetwork.IssueClasses"/>), <c>PredictedLabel</c> (the most
/// probable issue), <c>DimensionScores</c>, <c>Emotion</c>, <c>FrameScores</c> and <c>FrameSeconds</c>
/// (<see cref="FeedbackColumns"/>). Saves its network and options through the public model format.
/// </summary>
public sealed class FeedbackPredictionTransformer : ITransformer
{
    public FeedbackPredictionTransformer(string student, string? reference, string? alignment, HarmoniousFeedbackModel model)
    {
        Student = student;
        Reference = reference;
        Alignment = alignment;
        Model = model;
    }

    public string Student { get; }
    public string? Reference { get; }
    public string? Alignment { get; }
    public HarmoniousFeedbackModel Model { get; }

    /// <summary>The note-comparison column (view <c>score-notes</c>, Vector[Q]) for a model with note features; null for none.</summary>
    public string? Notes { get; init; }

    internal static Schema OutputSchema(Schema input) => input
        .With(new SchemaColumn(MulticlassColumns.Score, ColumnType.Vector(HarmoniousFeedbackNetwork.IssueClasses.Count)) { SlotNames = HarmoniousFeedbackNetwork.IssueClasses })
        .With(new SchemaColumn(MulticlassColumns.PredictedLabel, ColumnType.String))
        .With(new SchemaColumn(FeedbackColumns.DimensionScores, ColumnType.Vector(6)) { SlotNames = HarmoniousFeedbackNetwork.Dimensions })
        .With(new SchemaColumn(FeedbackColumns.Emotion, ColumnType.Vector(6)) { SlotNames = HarmoniousFeedbackNetwork.EmotionTargets })
        .With(new SchemaColumn(FeedbackColumns.FrameScores, ColumnType.Sequence(6)) { SlotNames = HarmoniousFeedbackNetwork.Dimensions })
        .With(new SchemaColumn(FeedbackColumns.FrameSeconds, ColumnType.Double));

    public Schema GetOutputSchema(Schema input)
    {
        const string stage = "FeedbackPrediction";
        input.Require(stage, Student, ColumnType.Sequence(Model.Options.NMels), "The model was trained on this log-mel column.");
        if (Reference is not null) input.Require(stage, Reference, ColumnType.Sequence(Model.Options.NMels), "The model was trained with this reference column.");
        if (Alignment is not null) input.Require(stage, Alignment, ColumnType.Sequence(Model.AlignmentFeatures), "The model was trained with these alignment features.");
        if (Model.NoteFeatures > 0)
        {
            if (Notes is null) throw new SchemaMismatchException($"{stage}: the model reads a note comparison of {Model.NoteFeatures} values but no column is set (Notes)");
            input.Require(stage, Notes, ColumnType.Vector(Model.NoteFeatures), "The model was trained with this note comparison (view score-notes).");
        }
        return OutputSchema(input);
    }

    /// <summary>The HFN inputs of every row of <paramref name="input"/>.</summary>
    internal static HfnExample[] Examples(DataTable input, string student, string? reference, string? alignment, string? notes = null)
    {
        var x = input.Column<FeatureMatrix>(student);
        var r = reference is null ? null : input.Column<FeatureMatrix>(reference);
        var g = alignment is null ? null : input.Column<FeatureMatrix>(alignment);
        var n = notes is null ? null : input.Column<float[]>(notes);
        return Enumerable.Range(0, input.RowCount).Select(i => new HfnExample(x[i], r?[i], g?[i], n?[i])).ToArray();
    }

    public DataTable Transform(DataTable input)
    {
        var schema = GetOutputSchema(input.Schema);
        var examples = Examples(input, Student, Reference, Alignment, Model.NoteFeatures > 0 ? Notes : null);
        var preds = Model.Predict(examples);
        int p = Model.Network.PoolFactor;
        var frames = preds.Select((q, i) =>
        {
            var centres = q.FrameEnds.Select(e => e - p * examples[i].Hop / 2).ToArray();   // an output frame lasts P·hop
            return new FeatureMatrix(q.FrameDeficits, q.FrameCount, 6, HarmoniousFeedbackNetwork.Dimensions, centres);
        }).ToArray();
        return input
            .With(new DataColumn<float[]>(schema[MulticlassColumns.Score]!, preds.Select(q => q.IssueProbabilities).ToArray()))
            .With(new DataColumn<string>(schema[MulticlassColumns.PredictedLabel]!, preds.Select(q => q.Issue).ToArray()))
            .With(new DataColumn<float[]>(schema[FeedbackColumns.DimensionScores]!, preds.Select(q => q.Scores).ToArray()))
            .With(new DataColumn<float[]>(schema[FeedbackColumns.Emotion]!, preds.Select(q => q.Emotion).ToArray()))
            .With(new DataColumn<FeatureMatrix>(schema[FeedbackColumns.FrameScores]!, frames))
            .With(new DataColumn<double>(schema[FeedbackColumns.FrameSeconds]!, examples.Select(e => p * e.Hop).ToArray()));
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(Student);
        writer.Write(Reference ?? "");
        writer.Write(Alignment ?? "");
        writer.Write(Model.OptionsJson);
        writer.Write(Model.AlignmentFeatures);
        writer.Write(Model.Seed);
        var state = Model.Network.StateDict();
        writer.Write(state.Count);
        foreach (var (name, t) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            writer.Write(t.Shape.ToArray());
            writer.Write(t.Data.ToArray());
        }
        // appended after the first format (models without note features end here): the note column and Q
        if (Model.NoteFeatures > 0)
        {
            writer.Write(Notes ?? "");
            writer.Write(Model.NoteFeatures);
        }
    }

    public static FeedbackPredictionTransformer Load(ModelReader reader)
    {
        string student = reader.ReadString(), reference = reader.ReadString(), alignment = reader.ReadString();
        string options = reader.ReadString();
        int k = reader.ReadInt32(), seed = reader.ReadInt32(), n = reader.ReadInt32();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            var name = reader.ReadString();
            var shape = reader.ReadInt32Array();
            state[name] = Tensor.FromArray(reader.ReadSingleArray(), shape);
        }
        string? notes = null;
        int q = 0;
        if (!reader.AtPayloadEnd)
        {
            notes = reader.ReadString();
            q = reader.ReadInt32();
        }
        var model = HarmoniousFeedbackModel.FromState(options, k, seed, state, reader.Source, q);
        return new FeedbackPredictionTransformer(student, reference.Length == 0 ? null : reference, alignment.Length == 0 ? null : alignment, model)
        {
            Notes = string.IsNullOrEmpty(notes) ? null : notes,
        };
    }
}
