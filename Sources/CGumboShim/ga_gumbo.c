#include "ga_gumbo.h"
#include <gumbo.h>
#include <stdlib.h>

struct ga_html { GumboOutput *output; };

ga_html *ga_html_parse(const char *buffer, size_t length) {
    ga_html *doc = malloc(sizeof *doc);
    if (!doc) return NULL;
    doc->output = gumbo_parse_with_options(&kGumboDefaultOptions, buffer, length);
    if (!doc->output) { free(doc); return NULL; }
    return doc;
}

void ga_html_free(ga_html *doc) {
    if (!doc) return;
    gumbo_destroy_output(&kGumboDefaultOptions, doc->output);
    free(doc);
}

ga_node ga_html_root(const ga_html *doc) { return doc->output->root; }

int ga_node_type(ga_node n) {
    const GumboNode *node = n;
    switch (node->type) {
    case GUMBO_NODE_ELEMENT: case GUMBO_NODE_TEMPLATE: return GA_NODE_ELEMENT;
    case GUMBO_NODE_TEXT: case GUMBO_NODE_CDATA: case GUMBO_NODE_WHITESPACE: return GA_NODE_TEXT;
    default: return GA_NODE_OTHER;
    }
}

const char *ga_node_tag(ga_node n, size_t *len) {
    const GumboNode *node = n;
    if (node->v.element.tag != GUMBO_TAG_UNKNOWN) {
        const char *name = gumbo_normalized_tagname(node->v.element.tag);
        size_t k = 0; while (name[k]) k++;
        *len = k;
        return name;
    }
    GumboStringPiece piece = node->v.element.original_tag;
    gumbo_tag_from_original_text(&piece);
    *len = piece.length;
    return piece.data ? piece.data : "";
}

unsigned ga_node_attribute_count(ga_node n) { return ((const GumboNode *)n)->v.element.attributes.length; }

const char *ga_node_attribute_name(ga_node n, unsigned i) {
    return ((GumboAttribute *)((const GumboNode *)n)->v.element.attributes.data[i])->name;
}

const char *ga_node_attribute_value(ga_node n, unsigned i) {
    return ((GumboAttribute *)((const GumboNode *)n)->v.element.attributes.data[i])->value;
}

unsigned ga_node_child_count(ga_node n) {
    const GumboNode *node = n;
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE
        ? node->v.element.children.length : 0;
}

ga_node ga_node_child(ga_node n, unsigned i) { return ((const GumboNode *)n)->v.element.children.data[i]; }

const char *ga_node_text(ga_node n) { return ((const GumboNode *)n)->v.text.text; }
