using System.Diagnostics;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Trainers;
using HarmoniousFeedback.Pipeline.Transforms;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The second part of a run: one unit → its test predictions. Selects the unit's training and test rows of the feature
/// table, fits each normalisable view's min–max normaliser on the training rows only (when the spec asks for
/// <c>minmax</c>), builds the model's trainer from the registry with the unit's seed, fits, and scores the test rows.
/// Stateless between units, so units can run in any order or process.
/// </summary>
public sealed class UnitExecutor
{
    private readonly ExperimentPlan _plan;
    private readonly DataTable _table;

    /// <param name="plan">The plan the units come from.</param>
    /// <param name="table">The feature table: <c>Id</c>, <c>Group</c>, <c>Label</c>, <c>Split</c> and one column per view (<see cref="ExperimentPlan.ColumnOf"/>), rows as in the <see cref="ClipIndex"/>.</param>
    public UnitExecutor(ExperimentPlan plan, DataTable table)
    {
        _plan = plan;
        _table = table;
    }

    public UnitResult Execute(PlannedUnit unit)
    {
        var sw = Stopwatch.StartNew();
        var trainTable = _table.SelectRows(unit.Split.Train);
        var testTable = _table.SelectRows(unit.Split.Test);
        var ctx = new HfContext(unit.Seed);
        bool minmax = _plan.Spec.Features.Normalization == "minmax";

        IEstimator<ITransformer>? normalise = null;
        var inputs = new List<ModelInput>();
        foreach (var name in unit.Model.Views)
        {
            var view = _plan.Views[name];
            var column = ExperimentPlan.ColumnOf(name);
            if (minmax && view.Normalizable)
            {
                var normalised = column + ".minmax";
                IEstimator<ITransformer> step = ctx.Transforms.NormalizeMinMax(normalised, column);
                normalise = normalise is null ? step : normalise.Append(step);
                column = normalised;
            }
            inputs.Add(new ModelInput(name, column, view.Type));
        }

        var curve = new List<EpochPoint>();
        var trainer = unit.Model.Model.CreateTrainer(new TrainerSetup { Inputs = inputs, Seed = unit.Seed, Observer = new CurveRecorder(curve) });
        var fitted = (normalise is null ? trainer : normalise.Append(trainer)).Fit(trainTable);
        var scored = fitted.Transform(testTable);

        var ids = testTable.Column<string>("Id");
        var truth = testTable.Column<string>("Label");
        var predicted = scored.Column<string>(MulticlassColumns.PredictedLabel);
        var score = scored.Column<float[]>(MulticlassColumns.Score);
        var classes = scored.Schema[MulticlassColumns.Score]!.SlotNames
            ?? throw new SchemaMismatchException($"model '{unit.Model.Name}' ({unit.Model.Model.Kind.Name}) produced a Score column without class names");
        var predictions = Enumerable.Range(0, testTable.RowCount).Select(i => new UnitPrediction(ids[i], truth[i], predicted[i], score[i])).ToList();
        return new UnitResult
        {
            Scheme = unit.Scheme, Model = unit.Model.Name, Repeat = unit.Split.Repeat, Fold = unit.Split.Fold, TrainCount = unit.Split.Train.Length,
            Classes = classes.ToArray(), Predictions = predictions, Curve = curve, FitSeconds = sw.Elapsed.TotalSeconds,
        };
    }

    private sealed class CurveRecorder(List<EpochPoint> curve) : IProgress<EpochReport>
    {
        public void Report(EpochReport r) => curve.Add(new EpochPoint(r.Epoch, r.TrainLoss,
            r.Metrics.TryGetValue("val_loss", out var vl) ? vl : null, r.Metrics.TryGetValue("val_accuracy", out var va) ? va : null));
    }
}
