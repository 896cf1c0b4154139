// Gumbo (HTML5 parsing algorithm) behind opaque handles, so Swift never touches GumboNode layouts
// and kGumboDefaultOptions (a global Swift 6 rejects) stays in C.
#ifndef GA_GUMBO_H
#define GA_GUMBO_H
#include <stddef.h>

typedef struct ga_html ga_html;
typedef const void *ga_node;

enum { GA_NODE_ELEMENT = 0, GA_NODE_TEXT = 1, GA_NODE_OTHER = 2 };

ga_html *ga_html_parse(const char *buffer, size_t length);
void ga_html_free(ga_html *doc);
ga_node ga_html_root(const ga_html *doc);

int ga_node_type(ga_node node);
/// The element's tag name (lower case for known tags; as written for unknown ones), length in *len.
const char *ga_node_tag(ga_node node, size_t *len);
unsigned ga_node_attribute_count(ga_node node);
const char *ga_node_attribute_name(ga_node node, unsigned i);
const char *ga_node_attribute_value(ga_node node, unsigned i);
unsigned ga_node_child_count(ga_node node);
ga_node ga_node_child(ga_node node, unsigned i);
const char *ga_node_text(ga_node node);

#endif
