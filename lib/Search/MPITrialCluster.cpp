//===- MPITrialCluster.cpp - Opening the MPI executor ---------------------===//
//
// The MPI executor lives in libNASCSearchMPI.so (lib/Search/MPI), opened
// only under mpirun: linking OpenMPI into nasc would load its libraries in
// every run, about 4 ms of a 22 ms start (bench/RESULTS.md).
//
//===----------------------------------------------------------------------===//

#include "nasc/Search/MPITrialCluster.h"

#include "nasc/Support/EvalLibrary.h"

#include <cstdlib>

using namespace nasc;
using namespace nasc::search;

/// A positive count from the environment variable `name`, else 0.
static unsigned getCount(const char *name) {
  const char *text = std::getenv(name);
  int value = text ? std::atoi(text) : 0;
  return value > 0 ? unsigned(value) : 0;
}

unsigned search::getLaunchedRanks(std::string &error) {
  if (unsigned ranks = getCount("OMPI_COMM_WORLD_SIZE"))
    return ranks;
  unsigned tasks = getCount("SLURM_STEP_NUM_TASKS");
  if (!tasks)
    tasks = getCount("SLURM_NTASKS");
  if (tasks <= 1 || !std::getenv("SLURM_PROCID"))
    return 1;
  if (!std::getenv("PMIX_RANK") && !std::getenv("PMI_RANK")) {
    error = "srun started " + std::to_string(tasks) +
            " tasks without a PMI plugin, so MPI cannot join them into one "
            "job (each would run the whole search into the same --out); use "
            "srun --mpi=pmix, or mpirun inside the allocation";
    return 0;
  }
  return tasks;
}

std::unique_ptr<TrialCluster>
search::createMPITrialCluster(unsigned expectedRanks, std::string &error) {
#ifndef NASC_HAVE_MPI
  error = "this nasc was built without MPI; install libopenmpi-dev "
          "(scripts/install-deps.sh) and build it again";
  return nullptr;
#else
  using Create = TrialCluster *(std::string *);
  auto *create = reinterpret_cast<Create *>(
      findPluginSymbol("libNASCSearchMPI.so", "NASC_MPI_LIBRARY",
                       "the MPI executor", "nascCreateMPITrialCluster", error));
  if (!create)
    return nullptr;
  std::unique_ptr<TrialCluster> cluster(create(&error));
  if (cluster && cluster->getSize() != expectedRanks) {
    error = "MPI joined " + std::to_string(cluster->getSize()) +
            " ranks, but the launcher started " +
            std::to_string(expectedRanks);
    return nullptr;
  }
  return cluster;
#endif
}
