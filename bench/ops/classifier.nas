dataset d { input = [1984]; classes = 1000; }
network classifier on d {
  fc(out = classes);
}
