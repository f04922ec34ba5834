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

unsigned search::getLaunchedRanks() {
  const char *size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (!size)
    return 1;
  int ranks = std::atoi(size);
  return ranks > 1 ? unsigned(ranks) : 1;
}

std::unique_ptr<TrialCluster>
search::createMPITrialCluster(std::string &error) {
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
  return std::unique_ptr<TrialCluster>(create(&error));
#endif
}
