"""The board pack's tags: one structure tree for the merged PDF.

pypdf's ``PdfWriter.append`` copies pages but not the structure tree that
makes a PDF readable by a screen reader, so each paper's tree is copied here
beneath a /Part of its own (titled "Paper C: ..."), its /Pg and /Obj
references pointing at the pack's pages and annotations, its /StructParents
keys moved past the papers before it, its element /IDs made unique.

An uploaded paper without tags cannot be read aloud from its text, but it
must not be unmarked content either: each of its pages becomes one /Figure
whose /Alt says which paper and page it is. The pack's footer labels are
drawn as pagination artifacts, which screen readers skip.
"""

import logging
import re
from typing import BinaryIO
from xml.sax.saxutils import escape

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

log = logging.getLogger(__name__)

# Keys of a structure element copied as they are (text and numbers); the tree
# links (/P, /K, /Pg) and names (/S, /C, /ID, /A) are rebuilt below, and any
# other key (/Ref, /AF, /NS) could drag the source's whole tree along.
_PLAIN_KEYS = ("/T", "/Lang", "/Alt", "/E", "/ActualText", "/R")
_PDFUA_ID = re.compile(rb"pdfuaid:part(?:\s*=\s*[\"']|>)\s*1\b")
_FOOTER = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"


def _direct(value: PdfObject) -> PdfObject:
    """A copy of an attribute value with no reference back into the source."""
    value = value.get_object()
    if isinstance(value, DictionaryObject) and not isinstance(value, StreamObject):
        return DictionaryObject({NameObject(k): _direct(v) for k, v in value.items()})
    if isinstance(value, ArrayObject):
        return ArrayObject(_direct(v) for v in value)
    return value


def _bytes(value: PdfObject) -> bytes:
    return bytes(value) if isinstance(value, ByteStringObject) else str(value).encode()


def _as_list(value: PdfObject | None) -> list:
    value = value.get_object() if value is not None else None
    if value is None or isinstance(value, NullObject):
        return []
    return list(value) if isinstance(value, ArrayObject) else [value]


def _number_tree(node: PdfObject | None) -> dict[int, PdfObject]:
    """Every entry of a number tree (the /ParentTree), whatever its depth."""
    entries: dict[int, PdfObject] = {}
    pending = [node] if node is not None else []
    seen: set[int] = set()  # a damaged tree may list a node among its own kids
    while pending:
        item = pending.pop().get_object()
        if not isinstance(item, DictionaryObject) or id(item) in seen:
            continue
        seen.add(id(item))
        nums = _as_list(item.get("/Nums"))
        for index in range(0, len(nums) - 1, 2):
            entries[int(nums[index])] = nums[index + 1]
        pending.extend(_as_list(item.get("/Kids")))
    return entries


def _contents(page: PageObject) -> bytes:
    # Streams of a /Contents array are one content stream; a newline between
    # them keeps the last token of one from running into the next.
    return b"\n".join(stream.get_object().get_data() for stream in _as_list(page.get("/Contents")))


def _stream(writer: PdfWriter, data: bytes, **entries: PdfObject) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject(f"/{key}")] = value
    return writer._add_object(stream.flate_encode())


def _box(page: PageObject) -> ArrayObject:
    box = page.cropbox
    return ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top))


def _xobjects(page: PageObject) -> DictionaryObject:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    return xobjects if isinstance(xobjects, DictionaryObject) else DictionaryObject()


def _keys_used(reader: PdfReader) -> list[int]:
    """The parent-tree keys the pages, their annotations and forms hold."""
    keys = []
    for page in reader.pages:
        holders = [(page, "/StructParents")]
        holders += [(a.get_object(), "/StructParent") for a in _as_list(page.get("/Annots"))]
        holders += [(x.get_object(), "/StructParents") for x in _xobjects(page).values()]
        keys += [
            int(holder[key])
            for holder, key in holders
            if isinstance(holder, DictionaryObject) and key in holder
        ]
    return keys


def _xmp_of(reader: PdfReader) -> bytes:
    try:
        return reader.root_object["/Metadata"].get_object().get_data()
    except Exception:  # none, or not a stream: whatever a damaged catalogue holds
        return b""


def is_tagged(reader: PdfReader) -> bool:
    tree = reader.root_object.get("/StructTreeRoot")
    tree = tree.get_object() if tree is not None else None
    return isinstance(tree, DictionaryObject) and "/K" in tree


class _Part:
    """One source PDF being copied in: where its pages and objects landed."""

    def __init__(self, writer: PdfWriter, reader: PdfReader, start: int, number: int, heading: str):
        self.writer, self.reader, self.heading = writer, reader, heading
        self.pages = {
            page.indirect_reference.idnum: writer.pages[start + index].indirect_reference
            for index, page in enumerate(reader.pages)
        }
        self.elements: dict[int, IndirectObject] = {}
        self.id_prefix = f"{number}-"
        self.roles: dict[str, NameObject] = {}
        self.classes: dict[str, NameObject] = {}

    def page(self, node: DictionaryObject) -> IndirectObject | None:
        """The pack's page of a node's /Pg."""
        reference = node.raw_get("/Pg") if "/Pg" in node else None
        if isinstance(reference, IndirectObject):
            return self.pages.get(reference.idnum)
        return None

    def copied(self, reference: PdfObject) -> IndirectObject | None:
        """The pack's copy of an object pypdf copied with the pages (an annotation)."""
        if not isinstance(reference, IndirectObject):
            return None
        idnum = self.writer._id_translated.get(id(self.reader), {}).get(reference.idnum)
        return None if idnum is None else self.writer.get_object(idnum).indirect_reference

    def element_id(self, value: PdfObject) -> PdfObject:
        value = value.get_object()
        if isinstance(value, ByteStringObject):
            return ByteStringObject(self.id_prefix.encode() + bytes(value))
        return TextStringObject(self.id_prefix + str(value))


class PackStructure:
    """Gathers the structure tree of a pack while its parts are appended to
    ``writer``: ``append`` each part in order, ``stamp`` each page's footer,
    then ``finish`` to write the tree and the catalogue entries."""

    def __init__(self, writer: PdfWriter, *, lang: str):
        self.writer, self.lang = writer, lang
        self.root = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")}))
        self.document = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/Document"),
                    NameObject("/P"): self.root,
                    NameObject("/K"): ArrayObject(),
                }
            )
        )
        self.parent_tree: dict[int, PdfObject] = {}
        self.next_key = 0
        self.role_map, self.class_map = DictionaryObject(), DictionaryObject()
        self.ids: list[tuple[PdfObject, IndirectObject]] = []
        self.parts = 0
        self.declares_pdfua = True  # every tagged part says it is PDF/UA-1
        self.opening = writer._add_object(DecodedStreamObject())
        self.opening.get_object().set_data(b"q\n")

    def append(
        self, data: BinaryIO | PdfReader, *, heading: str, name: str, title: str, import_outline: bool
    ) -> None:
        """Append a PDF's pages under an outline entry ``heading`` and its
        tags under a /Part of that title; an untagged PDF's pages are each
        described as "<name>, page 2 of 3: '<title>', ...". ``data`` is the
        PDF's bytes in a file object, or a PdfReader."""
        reader = data if isinstance(data, PdfReader) else PdfReader(data)
        start = len(self.writer.pages)
        self.writer.append(reader, outline_item=heading, import_outline=import_outline)
        self.parts += 1
        part = _Part(self.writer, reader, start, self.parts, heading)
        element = self._element("/Part", self.document, T=TextStringObject(heading))
        lang = reader.root_object.get("/Lang")
        if lang is not None and str(lang.get_object()) != self.lang:
            element.get_object()[NameObject("/Lang")] = TextStringObject(str(lang.get_object()))
        self.document.get_object()["/K"].append(element)
        pages = self.writer.pages[start : start + len(reader.pages)]
        if is_tagged(reader) and self._copy_tree_or_forget(reader, part, element, pages):
            self.declares_pdfua = self.declares_pdfua and bool(_PDFUA_ID.search(_xmp_of(reader)))
        else:
            if is_tagged(reader):
                # Its pages keep their own marked content, now claimed by no
                # element: the pack no longer says it is PDF/UA.
                self.declares_pdfua = False
            for number, page in enumerate(pages, start=1):
                alt = f"{name}, page {number} of {len(pages)}: '{title}', an uploaded PDF without tags"
                self._describe_untagged(page, element, alt)

    def stamp(self, page: PageObject, label: PageObject) -> None:
        """Draw ``label`` (a page of the same size) over ``page`` as its
        footer: a form XObject painted inside a pagination artifact, after
        the page's own content with that content's graphics state undone."""
        form = _stream(
            self.writer,
            _contents(label),
            Type=NameObject("/XObject"),
            Subtype=NameObject("/Form"),
            BBox=ArrayObject(FloatObject(v) for v in label.mediabox),
            Resources=label.get("/Resources", DictionaryObject()).clone(self.writer),
        )
        # A copy of the resources: uploaded PDFs often share one dictionary
        # between pages, and each page's footer is a different form.
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        key = "/PackFooter"
        while key in xobjects:
            key += "_"
        xobjects[NameObject(key)] = form
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        left, bottom = page.mediabox.left, page.mediabox.bottom
        closing = _FOOTER + f"q 1 0 0 1 {left} {bottom} cm {key} Do Q\nEMC\n".encode()
        contents = [self.opening, *_as_list(page.get("/Contents")), _stream(self.writer, b"Q\n" + closing)]
        page[NameObject("/Contents")] = ArrayObject(
            c if isinstance(c, IndirectObject) else self.writer._add_object(c) for c in contents
        )

    def finish(self, *, title: str, author: str) -> None:
        """Write the tree, the language, the title shown instead of the file
        name, and the metadata (with the PDF/UA-1 claim when its parts made it)."""
        writer = self.writer
        nums = ArrayObject()
        for key in sorted(self.parent_tree):
            nums += [NumberObject(key), self.parent_tree[key]]
        tree = self.root.get_object()
        tree[NameObject("/K")] = self.document
        tree[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
        tree[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
        if self.role_map:
            tree[NameObject("/RoleMap")] = self.role_map
        if self.class_map:
            tree[NameObject("/ClassMap")] = self.class_map
        if self.ids:
            names = ArrayObject()
            # A name tree's keys are in the order of their bytes.
            for value, element in sorted(self.ids, key=lambda pair: _bytes(pair[0])):
                names += [value, element]
            tree[NameObject("/IDTree")] = writer._add_object(DictionaryObject({NameObject("/Names"): names}))
        catalog = writer._root_object
        catalog[NameObject("/StructTreeRoot")] = self.root
        catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        catalog[NameObject("/Lang")] = TextStringObject(self.lang)
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)}
        )
        writer.add_metadata({"/Title": title, "/Author": author})
        catalog[NameObject("/Metadata")] = writer._add_object(self._xmp(title, author))
        for page in writer.pages:
            # Tab through annotations in the order of the structure tree.
            page[NameObject("/Tabs")] = NameObject("/S")
        if writer.pdf_header < "%PDF-1.7":
            writer.pdf_header = "%PDF-1.7"

    # -- the tree of a tagged part ------------------------------------------------

    def _copy_tree_or_forget(self, reader: PdfReader, part: _Part, element: IndirectObject, pages) -> bool:
        """Copy the part's tree; should it be too damaged to copy, forget what
        was copied of it (so the part is described as untagged) and say so."""
        next_key, ids = self.next_key, len(self.ids)
        role_map, class_map = DictionaryObject(self.role_map), DictionaryObject(self.class_map)
        try:
            self._copy_tree(reader, part, element, pages)
        except Exception:  # whatever a malformed structure tree makes us trip over
            log.warning("%s: its structure tree cannot be copied; it is described as untagged", part.heading)
            for key in [key for key in self.parent_tree if key >= next_key]:
                del self.parent_tree[key]
            self.next_key, self.ids[ids:] = next_key, []
            self.role_map, self.class_map = role_map, class_map
            element.get_object()[NameObject("/K")] = ArrayObject()
            element.get_object().pop("/Pg", None)
            return False
        return True

    def _copy_tree(self, reader: PdfReader, part: _Part, element: IndirectObject, pages) -> None:
        source = reader.root_object["/StructTreeRoot"].get_object()
        part.roles = self._merge_names(self.role_map, source.get("/RoleMap"), part)
        part.classes = self._merge_names(self.class_map, source.get("/ClassMap"), part)
        kids = ArrayObject()
        for kid in _as_list(source.get("/K")):
            node = kid.get_object()
            if isinstance(node, DictionaryObject) and self._role(node.get("/S"), source) == "/Document":
                # The paper's own /Document becomes its /Part: a pack is one document.
                if isinstance(kid, IndirectObject):
                    part.elements[kid.idnum] = element
                if part.page(node) is not None:
                    element.get_object()[NameObject("/Pg")] = part.page(node)
                kids += self._copy_kids(node.get("/K"), element, part)
            else:
                kids += self._copy_kids(kid, element, part)
        element.get_object()[NameObject("/K")] = kids

        offset = self.next_key
        entries = _number_tree(source.get("/ParentTree"))
        for value in entries.values():
            items = value.get_object()
            for item in items if isinstance(items, ArrayObject) else [value]:
                if isinstance(item, IndirectObject) and item.idnum not in part.elements:
                    self._adopt(item, part, element, set())
        for key, value in entries.items():
            # A page's entry lists the parents of its MCIDs; an annotation's is one element.
            items = value.get_object()
            if isinstance(items, ArrayObject):
                self.parent_tree[key + offset] = ArrayObject(self._mapped(item, part) for item in items)
            else:
                self.parent_tree[key + offset] = self._mapped(value, part)
        next_key = source.get("/ParentTreeNextKey")
        # /ParentTreeNextKey is optional, and a page or annotation may hold a
        # key the tree lacks: the next paper's keys start past all of them.
        keys = [*entries, int(next_key) - 1 if next_key is not None else -1, *_keys_used(reader)]
        self.next_key = offset + max(keys) + 1
        moved: set[int] = set()
        for source_page, page in zip(reader.pages, pages, strict=True):
            self._move_keys(source_page, page, offset, moved)
            if "/StructParents" not in page:
                # A page with nothing tagged still gets its key, to an empty list.
                page[NameObject("/StructParents")] = NumberObject(self.next_key)
                self.parent_tree[self.next_key] = ArrayObject()
                self.next_key += 1

    @staticmethod
    def _move_keys(source_page: PageObject, page: PageObject, offset: int, moved: set[int]) -> None:
        """Give the pack's copy of a page, and the annotations and forms pypdf
        copied with it, their keys into the pack's /ParentTree."""

        def move(source: DictionaryObject, copy: DictionaryObject, key: str) -> None:
            # pypdf leaves the keys out of what it copies (the tree was not
            # copied), so they are read from the source.
            if key in source and id(copy) not in moved:
                copy[NameObject(key)] = NumberObject(int(source[key]) + offset)
                moved.add(id(copy))

        move(source_page, page, "/StructParents")
        for source, copy in zip(
            _as_list(source_page.get("/Annots")), _as_list(page.get("/Annots")), strict=False
        ):
            move(source.get_object(), copy.get_object(), "/StructParent")
        copies = _xobjects(page)
        for name, source in _xobjects(source_page).items():
            if name in copies:
                move(source.get_object(), copies[name].get_object(), "/StructParents")

    def _adopt(self, reference: IndirectObject, part: _Part, element: IndirectObject, seen: set[int]):
        """Copy an element the content points at but the tree does not reach
        (WeasyPrint leaves a page's running header and footer so), with the
        ancestors it needs, at the end of its parent's kids."""
        if reference.idnum in part.elements or reference.idnum in seen:
            return part.elements.get(reference.idnum)
        seen.add(reference.idnum)
        node = reference.get_object()
        if not isinstance(node, DictionaryObject) or "/S" not in node:
            return None
        above = node.raw_get("/P") if "/P" in node else None
        parent = None
        if isinstance(above, IndirectObject) and "/S" in above.get_object():
            parent = self._adopt(above, part, element, seen)
        if reference.idnum in part.elements:  # copied with its parent
            return part.elements[reference.idnum]
        parent = parent or element
        copy = self._copy_element(reference, parent, part)
        parent.get_object()["/K"].append(copy)
        return copy

    @staticmethod
    def _mapped(item: PdfObject | None, part: _Part) -> PdfObject:
        if isinstance(item, IndirectObject) and item.idnum in part.elements:
            return part.elements[item.idnum]
        return NullObject()

    @staticmethod
    def _role(name: PdfObject | None, source: DictionaryObject) -> str | None:
        role_map = source.get("/RoleMap", DictionaryObject()).get_object()
        seen = set()
        while name is not None and name in role_map and name not in seen:
            seen.add(name)
            name = role_map[name]
        return None if name is None else str(name)

    @staticmethod
    def _merge_names(target: DictionaryObject, source: PdfObject | None, part: _Part) -> dict:
        """Add a part's /RoleMap or /ClassMap; a name another part already
        maps differently is renamed in this part. Returns the renames."""
        renames = {}
        if source is None:
            return renames
        for key, value in source.get_object().items():
            value = _direct(value)
            if key in target and target[key] != value:
                renamed = NameObject(f"{key}_{part.id_prefix.rstrip('-')}")
                renames[key] = renamed
                key = renamed
            target[NameObject(key)] = value
        return renames

    def _copy_kids(self, kids: PdfObject | None, parent: IndirectObject, part: _Part) -> ArrayObject:
        copied = ArrayObject()
        for kid in _as_list(kids):
            node = kid.get_object()
            if isinstance(node, int):
                copied.append(NumberObject(node))
            elif not isinstance(node, DictionaryObject):
                continue
            elif node.get("/Type") == "/MCR":
                reference = DictionaryObject(
                    {NameObject("/Type"): NameObject("/MCR"), NameObject("/MCID"): node["/MCID"]}
                )
                if part.page(node) is not None:
                    reference[NameObject("/Pg")] = part.page(node)
                for key in ("/Stm", "/StmOwn"):
                    if key in node:
                        reference[NameObject(key)] = node.raw_get(key).clone(self.writer)
                copied.append(reference)
            elif node.get("/Type") == "/OBJR":
                target = part.copied(node.raw_get("/Obj"))
                if target is None:
                    continue  # an annotation pypdf did not copy (a link to a page left out)
                reference = DictionaryObject(
                    {NameObject("/Type"): NameObject("/OBJR"), NameObject("/Obj"): target}
                )
                if part.page(node) is not None:
                    reference[NameObject("/Pg")] = part.page(node)
                copied.append(reference)
            elif "/S" in node:
                copied.append(self._copy_element(kid, parent, part))
        return copied

    def _copy_element(self, kid: PdfObject, parent: IndirectObject, part: _Part) -> IndirectObject:
        if isinstance(kid, IndirectObject) and kid.idnum in part.elements:
            return part.elements[kid.idnum]  # listed twice in a malformed tree: once is enough
        node = kid.get_object()
        copy = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): part.roles.get(node["/S"], NameObject(node["/S"])),
                NameObject("/P"): parent,
            }
        )
        reference = self.writer._add_object(copy)
        if isinstance(kid, IndirectObject):
            part.elements[kid.idnum] = reference
        if part.page(node) is not None:
            copy[NameObject("/Pg")] = part.page(node)
        for key in _PLAIN_KEYS:
            if key in node:
                copy[NameObject(key)] = _direct(node[key])
        if "/ID" in node:
            copy[NameObject("/ID")] = part.element_id(node["/ID"])
            self.ids.append((copy["/ID"], reference))
        if "/C" in node:
            classes = node["/C"].get_object()
            if isinstance(classes, ArrayObject):
                copy[NameObject("/C")] = ArrayObject(
                    part.classes.get(c, c) if isinstance(c, str) else c for c in classes
                )
            else:
                copy[NameObject("/C")] = part.classes.get(classes, classes)
        if "/A" in node:
            copy[NameObject("/A")] = self._attributes(node["/A"], part)
        copy[NameObject("/K")] = self._copy_kids(node.get("/K"), reference, part)
        return reference

    @staticmethod
    def _attributes(value: PdfObject, part: _Part) -> PdfObject:
        # Table cells name their header cells by /ID: those were made unique.
        value = _direct(value)
        for attributes in value if isinstance(value, ArrayObject) else [value]:
            if isinstance(attributes, DictionaryObject) and "/Headers" in attributes:
                attributes[NameObject("/Headers")] = ArrayObject(
                    part.element_id(header) for header in _as_list(attributes["/Headers"])
                )
        return value

    # -- pages of an untagged part ------------------------------------------------

    def _describe_untagged(self, page: PageObject, part: IndirectObject, alt: str) -> None:
        figure = self._element(
            "/Figure",
            part,
            Pg=page.indirect_reference,
            K=NumberObject(0),
            Alt=TextStringObject(alt),
            A=DictionaryObject({NameObject("/O"): NameObject("/Layout"), NameObject("/BBox"): _box(page)}),
        )
        part.get_object()["/K"].append(figure)
        # One stream holds the whole sequence: a marked-content sequence may
        # not run from one content stream into the next.
        data = b"/Figure <</MCID 0>> BDC\nq\n" + _contents(page) + b"\nQ\nEMC\n"
        page[NameObject("/Contents")] = _stream(self.writer, data)
        page[NameObject("/StructParents")] = NumberObject(self.next_key)
        self.parent_tree[self.next_key] = ArrayObject([figure])
        self.next_key += 1
        for reference in _as_list(page.get("/Annots")):
            self._tag_annotation(page, part, reference)

    def _tag_annotation(self, page: PageObject, part: IndirectObject, reference: PdfObject) -> None:
        """An annotation of an untagged page in an element of its own after
        the page's figure, as PDF/UA asks: a link says where it goes."""
        annotation = reference.get_object()
        subtype = annotation.get("/Subtype")
        if not isinstance(reference, IndirectObject) or subtype in ("/Popup", "/PrinterMark"):
            return  # a popup belongs to its parent annotation; a printer's mark is no content
        role = {"/Link": "/Link", "/Widget": "/Form"}.get(subtype, "/Annot")
        objr = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/OBJR"),
                NameObject("/Obj"): reference,
                NameObject("/Pg"): page.indirect_reference,
            }
        )
        element = self._element(role, part, Pg=page.indirect_reference, K=ArrayObject([objr]))
        part.get_object()["/K"].append(element)
        if subtype == "/Link" and "/Contents" not in annotation:
            target = annotation.get("/A", DictionaryObject()).get_object().get("/URI")
            annotation[NameObject("/Contents")] = TextStringObject(f"Link to {target}" if target else "Link")
        annotation[NameObject("/StructParent")] = NumberObject(self.next_key)
        self.parent_tree[self.next_key] = element
        self.next_key += 1

    def _element(self, role: str, parent: IndirectObject, **entries: PdfObject) -> IndirectObject:
        element = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject(role),
                NameObject("/P"): parent,
                NameObject("/K"): ArrayObject(),
            }
        )
        for key, value in entries.items():
            element[NameObject(f"/{key}")] = value
        return self.writer._add_object(element)

    def _xmp(self, title: str, author: str) -> StreamObject:
        claim = "<pdfuaid:part>1</pdfuaid:part>" if self.declares_pdfua else ""
        packet = (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
            f"{claim}"
            f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
            f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
            f"<dc:language><rdf:Bag><rdf:li>{escape(self.lang)}</rdf:li></rdf:Bag></dc:language>"
            "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
            '<?xpacket end="w"?>'
        )
        stream = DecodedStreamObject()
        stream.set_data(packet.encode())
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        return stream
