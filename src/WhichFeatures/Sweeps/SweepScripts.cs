namespace WhichFeatures.Sweeps;

/// <summary>The scheduler scripts of a sweep: a Slurm job array, a Kubernetes Indexed Job, and a README with the commands.</summary>
public static class SweepScripts
{
    /// <summary>Slurm batch script file name.</summary>
    public const string SlurmFile = "slurm.sbatch";
    /// <summary>Kubernetes Job file name.</summary>
    public const string KubernetesFile = "k8s-job.yaml";
    /// <summary>Mount path of the sweep folder inside the Kubernetes pod.</summary>
    public const string PodSweepPath = "/sweep";

    /// <summary>%M of the array: the configured limit, or every unit at once.</summary>
    public static int Parallelism(ClusterOptions c, int units) => c.MaxParallel > 0 ? Math.Min(c.MaxParallel, units) : units;

    /// <summary>
    /// The job array. SIGTERM (120 s before the time limit, or <c>scancel --signal=TERM --batch</c>) reaches the batch
    /// shell only (B:), which forwards it to the unit; the unit checkpoints and exits with
    /// <see cref="SweepRunner.RequeueExitCode"/>, and the script requeues its own array task, which later resumes
    /// from that checkpoint. <c>--open-mode=append</c>: a requeued task appends, so the log keeps the preempted attempt.
    /// </summary>
    public static string Slurm(string sweepDir, SweepPlan plan, int units)
    {
        var c = plan.Cluster;
        return ScriptTemplate.Fill(SlurmTemplate, new Dictionary<string, string?>
        {
            ["suite"] = plan.Suite.Name(),
            ["last"] = (units - 1).ToString(),
            ["parallel"] = Parallelism(c, units).ToString(),
            ["cpus"] = c.CpusPerTask.ToString(),
            ["mem"] = c.Memory,
            ["time"] = c.Time,
            ["partition"] = c.Partition,
            ["gpu"] = c.Gpu ? "" : null,
            ["sweep"] = sweepDir,
            ["units"] = units.ToString(),
            ["sweepQuoted"] = Quote(sweepDir),
            ["launcher"] = c.Launcher,
            ["requeue"] = SweepRunner.RequeueExitCode.ToString(),
        });
    }

    /// <summary>slurm.sbatch; <see cref="ScriptTemplate"/> says how placeholders and optional lines are filled.</summary>
    private const string SlurmTemplate = """
        #!/bin/bash
        #SBATCH --job-name=wf-{{suite}}
        #SBATCH --array=0-{{last}}%{{parallel}}
        #SBATCH --requeue
        #SBATCH --signal=B:TERM@120
        #SBATCH --ntasks=1
        #SBATCH --cpus-per-task={{cpus}}
        #SBATCH --mem={{mem}}
        #SBATCH --time={{time}}
        #SBATCH --partition={{partition?}}
        #SBATCH --gres=gpu:1{{gpu?}}
        #SBATCH --output={{sweep}}/logs/%A_%a.out
        #SBATCH --open-mode=append
        # One array task per line of manifest.jsonl ({{units}} units). Written by `whichfeatures reproduce --plan`; see README.md.
        set -u
        SWEEP={{sweepQuoted}}
        {{launcher}} sweep run "$SWEEP" --index "$SLURM_ARRAY_TASK_ID" &
        child=$!
        trap 'kill -TERM "$child" 2>/dev/null' TERM
        wait "$child"; rc=$?
        # A trapped signal ends the first wait early: wait again until the unit has written its checkpoint and exited.
        while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
        if [ "$rc" -eq {{requeue}} ]; then
          echo "unit $SLURM_ARRAY_TASK_ID stopped at a checkpoint; requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
          scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
        fi
        exit "$rc"

        """;

    /// <summary>
    /// The Indexed Job: one completion per unit, the index in JOB_COMPLETION_INDEX, the sweep folder on a
    /// PersistentVolumeClaim named whichfeatures-sweep mounted at <see cref="PodSweepPath"/>. The memory request is
    /// Slurm's size in Kubernetes units: 8G is 8Gi, and a bare number is MB in Slurm, so Mi.
    /// </summary>
    public static string Kubernetes(SweepPlan plan, int units)
    {
        var c = plan.Cluster;
        return ScriptTemplate.Fill(KubernetesTemplate, new Dictionary<string, string?>
        {
            ["suite"] = plan.Suite.Name(),
            ["units"] = units.ToString(),
            ["parallel"] = Parallelism(c, units).ToString(),
            ["backoff"] = Math.Max(6, 3 * units).ToString(),
            ["image"] = Yaml(c.Image),
            ["pod"] = PodSweepPath,
            ["cpus"] = c.CpusPerTask.ToString(),
            ["mem"] = Yaml(char.IsDigit(c.Memory[^1]) ? c.Memory + "Mi" : c.Memory + "i"),
            ["gpu"] = c.Gpu ? "" : null,
        });
    }

    /// <summary>k8s-job.yaml; <see cref="ScriptTemplate"/> says how placeholders and optional lines are filled.</summary>
    private const string KubernetesTemplate = """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: whichfeatures-{{suite}}-sweep
        spec:
          completionMode: Indexed
          completions: {{units}}
          parallelism: {{parallel}}
          backoffLimit: {{backoff}}
          template:
            spec:
              restartPolicy: OnFailure
              terminationGracePeriodSeconds: 120
              containers:
                - name: unit
                  image: {{image}}
                  command: ["whichfeatures", "sweep", "run", "{{pod}}"]
                  resources:
                    requests:
                      cpu: "{{cpus}}"
                      memory: {{mem}}
                    limits:{{gpu?}}
                      nvidia.com/gpu: 1{{gpu?}}
                  volumeMounts:
                    - name: sweep
                      mountPath: {{pod}}
              volumes:
                - name: sweep
                  persistentVolumeClaim:
                    claimName: whichfeatures-sweep

        """;

    /// <summary>The sweep's README: the three ways to run it and how to collect.</summary>
    public static string Readme(string sweepDir, SweepPlan plan, int units)
    {
        var c = plan.Cluster;
        return $"""
            # WhichFeatures sweep: {plan.Suite.Name()} suite, {units} units

            Experiments: {string.Join(", ", plan.Experiments)}. Each line of `manifest.jsonl` is one independent unit
            (its full configuration and its folder under `units/`). Running a unit twice is harmless: a finished unit is
            skipped, an interrupted one resumes from its last checkpoint, and a second copy of a running unit leaves it alone.

            ## Run it

            Slurm (job array, at most {Parallelism(c, units)} at once; preempted tasks checkpoint and requeue):

                sbatch {sweepDir}/{SlurmFile}

            Kubernetes (Indexed Job; put this folder on the PersistentVolumeClaim `whichfeatures-sweep` first):

                kubectl apply -f {sweepDir}/{KubernetesFile}

            One machine (the same units, 2 at a time):

                {c.Launcher} sweep run {sweepDir} --all --jobs 2

            ## Watch and collect

                {c.Launcher} sweep status {sweepDir}
                {c.Launcher} sweep collect {sweepDir}

            `collect` writes results.json, report.html, the CSVs and plots here, as a local `reproduce` would; it refuses
            while any unit is missing, naming them.

            """;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string Yaml(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
