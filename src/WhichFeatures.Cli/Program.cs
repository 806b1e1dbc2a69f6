// OpenMP idle threads sleep instead of spinning (keeps a user's own OMP_WAIT_POLICY): on a shared 2-core machine
// spinning made libtorch 3-25x slower (docs/benchmarks.md). Must run before the first torch call.
WhichFeatures.Core.OpenMpPolicy.PreferPassiveWaiting();
// Freed tensor memory is reused instead of page-faulted in again every step (2x on MNIST's batch of 512 on an AMD
// EPYC VM, the same numbers; docs/benchmarks.md). Must also run before the first torch call.
WhichFeatures.Core.NativeAllocation.PreferReuse();
return WhichFeatures.Cli.CliApp.Run(args);
