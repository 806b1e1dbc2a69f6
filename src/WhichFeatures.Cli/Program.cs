// OpenMP idle threads sleep instead of spinning (keeps a user's own OMP_WAIT_POLICY): on a shared 2-core machine
// spinning made libtorch 3-25x slower (docs/benchmarks.md). Must run before the first torch call.
WhichFeatures.Core.OpenMpPolicy.PreferPassiveWaiting();
return WhichFeatures.Cli.CliApp.Run(args);
