//===- OnnxExport.cpp - A trained network as an ONNX model ----------------===//
//
// OnnxGraph over ONNX's protobuf (Debian libonnx-dev): opset 14, IR
// version 8, the batch dimension symbolic; the model is checked with
// ONNX's own checker before it is written.
//
//===----------------------------------------------------------------------===//

#include "OnnxGraph.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <fstream>
#include <functional>

namespace nasc::eval {

/// Builds a GraphProto.
class ProtoGraph : public OnnxGraph {
public:
  explicit ProtoGraph(onnx::GraphProto &graph) : graph(graph) {}

  std::string node(const std::string &opType,
                   const std::vector<std::string> &inputs,
                   const std::vector<OnnxAttr> &attrs) override {
    onnx::NodeProto *node = graph.add_node();
    node->set_op_type(opType);
    node->set_name(opType + "_" + std::to_string(counter));
    for (const std::string &input : inputs)
      node->add_input(input);
    std::string output = "t" + std::to_string(counter++);
    node->add_output(output);
    for (const OnnxAttr &attr : attrs) {
      onnx::AttributeProto *a = node->add_attribute();
      a->set_name(attr.name);
      switch (attr.kind) {
      case OnnxAttr::Int:
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(attr.i);
        break;
      case OnnxAttr::Ints:
        a->set_type(onnx::AttributeProto::INTS);
        for (int64_t v : attr.ints)
          a->add_ints(v);
        break;
      case OnnxAttr::Float:
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(attr.f);
        break;
      }
    }
    return output;
  }

  std::string initializer(const std::string &hint,
                          const std::vector<int64_t> &dims,
                          const std::vector<float> &data) override {
    onnx::TensorProto *tensor = graph.add_initializer();
    std::string name = hint + "_" + std::to_string(counter++);
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      tensor->add_dims(d);
    tensor->set_raw_data(std::string(reinterpret_cast<const char *>(data.data()),
                                     data.size() * sizeof(float)));
    return name;
  }

  std::string integerInitializer(const std::string &hint,
                                 const std::vector<int64_t> &dims,
                                 const std::vector<int64_t> &data) override {
    onnx::TensorProto *tensor = graph.add_initializer();
    std::string name = hint + "_" + std::to_string(counter++);
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::INT64);
    for (int64_t d : dims)
      tensor->add_dims(d);
    tensor->set_raw_data(std::string(reinterpret_cast<const char *>(data.data()),
                                     data.size() * sizeof(int64_t)));
    return name;
  }

private:
  onnx::GraphProto &graph;
  int64_t counter = 0;
};

static void setShape(onnx::ValueInfoProto *value, const std::string &name,
                     const std::vector<int64_t> &dims) {
  value->set_name(name);
  onnx::TypeProto_Tensor *type = value->mutable_type()->mutable_tensor_type();
  type->set_elem_type(onnx::TensorProto::FLOAT);
  onnx::TensorShapeProto *shape = type->mutable_shape();
  shape->add_dim()->set_dim_param("N");
  for (int64_t d : dims)
    shape->add_dim()->set_dim_value(d);
}

/// Writes the model that `build` fills (it receives the graph and the
/// input's name, and returns the output's); false with `error` on failure.
bool writeOnnxModel(
    const std::string &path, const std::vector<int64_t> &inputShape,
    const std::vector<int64_t> &outputShape,
    const std::function<std::string(OnnxGraph &, const std::string &)> &build,
    std::string &error) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("nasc");
  model.add_opset_import()->set_version(14);
  onnx::GraphProto *graph = model.mutable_graph();
  graph->set_name("nasc_candidate");
  ProtoGraph builder(*graph);
  std::string output =
      builder.node("Identity", {build(builder, "input")}, {});
  // Name the result `logits`.
  graph->mutable_node(graph->node_size() - 1)->set_output(0, "logits");
  (void)output;
  setShape(graph->add_input(), "input", inputShape);
  setShape(graph->add_output(), "logits", outputShape);
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    error = std::string("the ONNX checker rejects the model: ") + e.what();
    return false;
  }
  std::ofstream out(path, std::ios::binary);
  if (!out || !model.SerializeToOstream(&out)) {
    error = path + ": cannot write";
    return false;
  }
  return true;
}

} // namespace nasc::eval
