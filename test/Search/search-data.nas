// The data a search trains on is never a silent substitute: a dataset
// whose data is not here is an error at the dataset, nothing is written,
// stand-in data is an explicit choice, and summary.json records the data
// used. The chosen candidate is exported with the weights the search
// trained, not trained again.
// RUN: rm -rf %t
//
// CIFAR-10 is not installed: an error at the dataset that says how to
// provide it, and no output directory.
// RUN: not nasc search %s --out %t/missing 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: search-data.nas:{{[0-9]+}}:1: error: dataset 'cifar10' has no training data: source "cifar10" is not installed
// MISSING-SAME: `path = "DIR";` in the dataset or as `nasc search --data DIR`, or train on Fashion-MNIST in its place with --stand-in-data
// MISSING-NEXT: dataset cifar10 {
// RUN: not ls %t/missing
//
// Fashion-MNIST in its place, when asked for: said on stderr and recorded.
// RUN: nasc search %s --stand-in-data --out %t/stand-in 2>&1 | FileCheck %s --check-prefix=STAND-IN
// STAND-IN: warning: training on fashion-mnist (/usr/share/datasets/fashion-mnist) in place of 'cifar10' (--stand-in-data)
// STAND-IN: export: {{.*}}: the search's trained weights {{.*}}stand-in/weights/{{[0-9a-f]+}}.pt (not trained again)
// STAND-IN-NOT: epoch 1/1
// STAND-IN: search random: 2 trials
// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t/stand-in/summary.json
// SUMMARY:      "data": {
// SUMMARY-NEXT:   "name": "fashion-mnist",
// SUMMARY-NEXT:   "path": "/usr/share/datasets/fashion-mnist",
// SUMMARY-NEXT:   "stand_in_for": "cifar10",
// SUMMARY-NEXT:   "file_shape": [
// SUMMARY-NEXT:     1,
// SUMMARY-NEXT:     28,
// SUMMARY-NEXT:     28
// SUMMARY-NEXT:   ],
// SUMMARY-NEXT:   "input_shape": [
// SUMMARY-NEXT:     3,
// SUMMARY-NEXT:     32,
// SUMMARY-NEXT:     32
// SUMMARY-NEXT:   ],
// SUMMARY-NEXT:   "train_images": 54000,
// SUMMARY-NEXT:   "trained_on_images": 1085,
// SUMMARY-NEXT:   "validation_images": 6000,
// SUMMARY-NEXT:   "test_images": 10000
// The exported archive holds the kept one's records, byte for byte (a
// LibTorch archive names its records after its file).
// RUN: %system_python -c "import glob, sys, zipfile; read = lambda p: sorted((n.split('/', 1)[1], zipfile.ZipFile(p).read(n)) for n in zipfile.ZipFile(p).namelist()); print('same', read(sys.argv[1]) in [read(f) for f in glob.glob(sys.argv[2] + '/*.pt')])" %t/stand-in/best.pt %t/stand-in/weights | FileCheck %s --check-prefix=SAME
// SAME: same True
//
// --data names the directory: no stand-in, the dataset's own name.
// RUN: nasc search %s --data /usr/share/datasets/fashion-mnist --no-export --out %t/data --quiet
// RUN: FileCheck %s --check-prefix=DATA --input-file=%t/data/summary.json
// DATA:      "name": "cifar10",
// DATA-NEXT: "path": "/usr/share/datasets/fashion-mnist",
// DATA-NEXT: "file_shape": [
// --no-export writes no archive.
// RUN: not ls %t/data/best.pt
// RUN: not ls %t/data/best.onnx

dataset cifar10 {
  input = [3, 32, 32];
  classes = 10;
  source = "cifar10";
}

network tiny on cifar10 {
  stem: conv(out = {4, 8}, kernel = 3, stride = 2) -> bn -> relu;
  head: global_avg_pool -> fc(out = classes);
}

objectives {
  maximize accuracy;
}

search {
  strategy = random;
  budget = 2;
  seed = 1;
}

evaluate {
  method = train;
  epochs = 1;
  batch_size = 64;
  proxy_fraction = 0.02;
}
