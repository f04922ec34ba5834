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

/// How many ranks the MPI job that started this process has (mpirun sets
/// OMPI_COMM_WORLD_SIZE), or 1 when none did.
unsigned getLaunchedRanks();

/// Joins the MPI job this process was started in (MPI_Init; MPI_Finalize
/// when destroyed, after the coordinator told the other ranks to finish).
/// Null with `error`.
std::unique_ptr<TrialCluster> createMPITrialCluster(std::string &error);

} // namespace nasc::search

#endif // NASC_SEARCH_MPITRIALCLUSTER_H
