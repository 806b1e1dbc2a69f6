using System.Text;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Tests.Sweeps.Reference;

/// <summary>
/// The StringBuilder generator of slurm.sbatch and k8s-job.yaml as it was before src/WhichFeatures/Sweeps/SweepScripts.cs
/// became templates, copied unchanged: <see cref="SweepScriptTemplateTests"/> checks the templates write the same
/// bytes. Delete both once the templates are trusted.
/// </summary>
internal static class StringBuilderSweepScripts
{
    /// <summary>
    /// The job array. SIGTERM (120 s before the time limit, or <c>scancel --signal=TERM --batch</c>) reaches the batch
    /// shell only (B:), which forwards it to the unit; the unit checkpoints and exits with
    /// <see cref="SweepRunner.RequeueExitCode"/>, and the script requeues its own array task, which later resumes
    /// from that checkpoint.
    /// </summary>
    public static string Slurm(string sweepDir, SweepPlan plan, int units)
    {
        var c = plan.Cluster;
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append($"#SBATCH --job-name=wf-{plan.Suite.Name()}\n");
        s.Append($"#SBATCH --array=0-{units - 1}%{SweepScripts.Parallelism(c, units)}\n");
        s.Append("#SBATCH --requeue\n");
        s.Append("#SBATCH --signal=B:TERM@120\n");
        s.Append("#SBATCH --ntasks=1\n");
        s.Append($"#SBATCH --cpus-per-task={c.CpusPerTask}\n");
        s.Append($"#SBATCH --mem={c.Memory}\n");
        s.Append($"#SBATCH --time={c.Time}\n");
        if (c.Partition is { } p) s.Append($"#SBATCH --partition={p}\n");
        if (c.Gpu) s.Append("#SBATCH --gres=gpu:1\n");
        s.Append($"#SBATCH --output={sweepDir}/logs/%A_%a.out\n");
        s.Append("#SBATCH --open-mode=append\n");   // a requeued task appends: the log keeps the preempted attempt
        s.Append($"# One array task per line of manifest.jsonl ({units} units). Written by `whichfeatures reproduce --plan`; see README.md.\n");
        s.Append("set -u\n");
        s.Append($"SWEEP={Quote(sweepDir)}\n");
        s.Append($"{c.Launcher} sweep run \"$SWEEP\" --index \"$SLURM_ARRAY_TASK_ID\" &\n");
        s.Append("child=$!\n");
        s.Append("trap 'kill -TERM \"$child\" 2>/dev/null' TERM\n");
        s.Append("wait \"$child\"; rc=$?\n");
        s.Append("# A trapped signal ends the first wait early: wait again until the unit has written its checkpoint and exited.\n");
        s.Append("while kill -0 \"$child\" 2>/dev/null; do wait \"$child\"; rc=$?; done\n");
        s.Append($"if [ \"$rc\" -eq {SweepRunner.RequeueExitCode} ]; then\n");
        s.Append("  echo \"unit $SLURM_ARRAY_TASK_ID stopped at a checkpoint; requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n");
        s.Append("  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n");
        s.Append("fi\n");
        s.Append("exit \"$rc\"\n");
        return s.ToString();
    }

    /// <summary>
    /// The Indexed Job: one completion per unit, the index in JOB_COMPLETION_INDEX, the sweep folder on a
    /// PersistentVolumeClaim named whichfeatures-sweep mounted at <see cref="SweepScripts.PodSweepPath"/>.
    /// </summary>
    public static string Kubernetes(SweepPlan plan, int units)
    {
        var c = plan.Cluster;
        var s = new StringBuilder();
        s.Append("apiVersion: batch/v1\n");
        s.Append("kind: Job\n");
        s.Append("metadata:\n");
        s.Append($"  name: whichfeatures-{plan.Suite.Name()}-sweep\n");
        s.Append("spec:\n");
        s.Append("  completionMode: Indexed\n");
        s.Append($"  completions: {units}\n");
        s.Append($"  parallelism: {SweepScripts.Parallelism(c, units)}\n");
        s.Append($"  backoffLimit: {Math.Max(6, 3 * units)}\n");
        s.Append("  template:\n");
        s.Append("    spec:\n");
        s.Append("      restartPolicy: OnFailure\n");
        s.Append("      terminationGracePeriodSeconds: 120\n");
        s.Append("      containers:\n");
        s.Append("        - name: unit\n");
        s.Append($"          image: {Yaml(c.Image)}\n");
        s.Append($"          command: [\"whichfeatures\", \"sweep\", \"run\", \"{SweepScripts.PodSweepPath}\"]\n");
        s.Append("          resources:\n");
        s.Append("            requests:\n");
        s.Append($"              cpu: \"{c.CpusPerTask}\"\n");
        s.Append($"              memory: {Yaml(char.IsDigit(c.Memory[^1]) ? c.Memory + "Mi" : c.Memory + "i")}\n");   // Slurm 8G = Kubernetes 8Gi; a bare number is MB in Slurm
        if (c.Gpu)
        {
            s.Append("            limits:\n");
            s.Append("              nvidia.com/gpu: 1\n");
        }
        s.Append("          volumeMounts:\n");
        s.Append("            - name: sweep\n");
        s.Append($"              mountPath: {SweepScripts.PodSweepPath}\n");
        s.Append("      volumes:\n");
        s.Append("        - name: sweep\n");
        s.Append("          persistentVolumeClaim:\n");
        s.Append("            claimName: whichfeatures-sweep\n");
        return s.ToString();
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string Yaml(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
