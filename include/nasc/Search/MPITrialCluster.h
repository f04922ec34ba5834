//===- MPITrialCluster.h - MPI ranks evaluate trials ------------*- C++ -*-===//
//
// `mpirun -np N nasc search ...` (docs/distributed.md): rank 0 runs the
// search, owns the store and writes every output; ranks 1..N-1 evaluate the
// trials it sends them, each as soon as it is free. Built only where
// OpenMPI is (NASC_HAVE_MPI), into libNASCSearchMPI.so, which nasc opens only
// when mpirun started it, so that no other run loads OpenMPI.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_MPITRIALCLUSTER_H
#define NASC_SEARCH_MPITRIALCLUSTER_H

#include "nasc/Search/TrialExecutor.h"

#include <memory>
#include <string>

namespace nasc::search {

/// How many ranks the job that started this process has, 1 when no
/// launcher did: mpirun sets OMPI_COMM_WORLD_SIZE; Slurm's srun sets
/// SLURM_STEP_NUM_TASKS (or SLURM_NTASKS), and its PMI plugin (srun
/// --mpi=pmix: PMIX_RANK; --mpi=pmi2: PMI_RANK) lets MPI_Init join the
/// tasks into one job. 0 with `error` for srun tasks without PMI: each
/// would be a job of one rank running the whole search into the same
/// --out.
unsigned getLaunchedRanks(std::string &error);

/// Joins the MPI job this process was started in (MPI_Init; MPI_Finalize
/// when destroyed, after the coordinator told the other ranks to finish),
/// which must have the `expectedRanks` the launcher started. Null with
/// `error`.
std::unique_ptr<TrialCluster> createMPITrialCluster(unsigned expectedRanks,
                                                    std::string &error);

} // namespace nasc::search

#endif // NASC_SEARCH_MPITRIALCLUSTER_H
