// Graphviz's layout and rendering libraries (Debian: libgraphviz-dev), used in process
// by InfraDraw: cgraph parses DOT text, gvc lays it out and renders SVG/PNG/PDF.
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
