"""A board pack is tagged as one document (PDF/UA): one structure tree with
a /Part per paper holding that paper's own tags, unique /StructParents keys
mapped by the /ParentTree, page labels drawn as artifacts, and each page of
an uploaded PDF without tags described to screen readers as a figure."""

from dataclasses import dataclass, field
from io import BytesIO

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject
from weasyprint import HTML

from reports.models import BoardPack, PackStatus
from tests.reports.papers.conftest import outline_titles, pdf_text
from tests.reports.papers.test_packs import add_papers, build, worker_keeps_the_test_connection  # noqa: F401

pytestmark = pytest.mark.django_db

PAPERS = (
    "Paper A: Minutes of the January meeting",
    "Paper B: Chief Operating Officer report",
    "Paper C: Risk register",
    "Paper D: Estates strategy",
    "Paper E: Action log",
)


def untagged_pdf(*pages: str) -> bytes:
    """A PDF as most uploads are: no structure tree, text unmarked; a link
    on its last page."""
    body = "".join(f"<h1 style='page-break-before: always'>{text}</h1>" for text in pages)
    body += "<p><a href='https://example.org/minutes'>Signed copy</a></p>"
    return HTML(string=f"<html lang='en-GB'><title>{pages[0]}</title>{body}</html>").write_pdf()


def tagged_pdf(heading: str, paragraph: str) -> bytes:
    return HTML(
        string=f"<html lang='en-GB'><title>{heading}</title><h1>{heading}</h1>"
        f"<p>{paragraph} <a href='https://example.org/estates'>The plan</a></p></html>"
    ).write_pdf(pdf_variant="pdf/ua-1")


@pytest.fixture
def pack_data(papers, client_as, django_capture_on_commit_callbacks) -> bytes:
    """A pack of five papers, as the staff download it: an untagged upload
    of two pages, the COO report, the risk register, a tagged upload and
    the action log (the last three and the front matter made tagged)."""
    staff, meeting = client_as("staff"), papers["meeting"]
    add_papers(
        staff,
        meeting,
        ("Minutes of the January meeting", "uploaded", untagged_pdf("Minutes", "Matters arising")),
        ("Chief Operating Officer report", "coo_report", None),
        ("Risk register", "risk_register", None),
        ("Estates strategy", "uploaded", tagged_pdf("Estates strategy", "Three sites by 2021.")),
        ("Action log", "action_log", None),
    )
    pack = build(staff, meeting, django_capture_on_commit_callbacks)
    assert pack.status == PackStatus.BUILT, pack.error
    return b"".join(staff.get(f"/reports/meetings/{meeting.pk}/pack/draft/download/").streaming_content)


@pytest.fixture
def pack_pdf(pack_data) -> PdfReader:
    return PdfReader(BytesIO(pack_data))


@dataclass
class Element:
    role: str
    page: int | None  # the object number of its page (its own /Pg or its nearest ancestor's)
    attributes: dict
    kids: list["Element"] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page's object number, MCID)
    ref: int | None = None

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()


def tree(reader: PdfReader) -> Element:
    """The structure tree from its /Document down, as read back from the file."""

    def read(reference, inherited_page) -> Element:
        node = reference.get_object()
        page = node.raw_get("/Pg").idnum if "/Pg" in node else inherited_page
        element = Element(
            str(node["/S"]),
            page,
            {k: node[k] for k in ("/T", "/Alt", "/ID", "/A") if k in node},
            ref=reference.idnum if isinstance(reference, IndirectObject) else None,
        )
        kids = node.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            value = kid.get_object()
            if isinstance(value, int):
                element.mcids.append((page, int(value)))
            elif isinstance(value, DictionaryObject) and value.get("/Type") == "/MCR":
                mcr_page = value.raw_get("/Pg").idnum if "/Pg" in value else page
                element.mcids.append((mcr_page, int(value["/MCID"])))
            elif isinstance(value, DictionaryObject) and "/S" in value:
                element.kids.append(read(kid, page))
        return element

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    return read(root.raw_get("/K"), None)


def parts(reader: PdfReader) -> dict[str, Element]:
    document = tree(reader)
    assert document.role == "/Document"
    return {str(part.attributes["/T"]): part for part in document.kids if part.role == "/Part"}


def parent_tree(reader: PdfReader) -> dict[int, object]:
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    return {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}


def marked_text(page) -> list[tuple[str, list[tuple[str, int | None]]]]:
    """Each piece of a page's text with the marked-content sequences it is
    drawn in (outermost first), through the forms the page paints."""
    stack, pieces = [], []

    def before(operator, operands, cm, tm):
        if operator == b"BDC":
            properties = operands[1]
            mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
            stack.append((str(operands[0]), mcid))
        elif operator == b"BMC":
            stack.append((str(operands[0]), None))
        elif operator == b"EMC":
            stack.pop()

    def text(value, cm, tm, font, size):
        if value.strip():
            pieces.append((value.strip(), list(stack)))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return pieces


def test_the_pack_is_tagged_as_one_document_with_a_part_per_paper(pack_pdf):
    catalog = pack_pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert pack_pdf.metadata.title.endswith("27 February 2019: board pack")
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and pack_pdf.metadata.title in xmp
    assert list(parts(pack_pdf)) == ["Cover and agenda", *PAPERS]
    # Each part holds its own pages' tags, in the pack's page order.
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(pack_pdf.pages)}
    seen = []
    for part in parts(pack_pdf).values():
        pages = sorted({page_numbers[e.page] for e in part.walk() if e.page is not None})
        assert pages, part.attributes["/T"]
        seen += pages
    assert seen == list(range(len(pack_pdf.pages)))


def test_every_page_has_its_own_key_and_every_mcid_its_element(pack_pdf):
    keys = [page["/StructParents"] for page in pack_pdf.pages]
    assert len(set(keys)) == len(keys) == len(pack_pdf.pages)
    entries = parent_tree(pack_pdf)
    assert set(keys) <= set(entries)
    assert pack_pdf.trailer["/Root"]["/StructTreeRoot"]["/ParentTreeNextKey"] > max(keys)
    holders = {}  # (page, MCID) -> the element whose kid it is
    for element in tree(pack_pdf).walk():
        for mcid in element.mcids:
            assert mcid not in holders, f"MCID {mcid} is claimed twice"
            holders[mcid] = element.ref
    for page in pack_pdf.pages:
        page_id = page.indirect_reference.idnum
        used = [
            int(operands[1]["/MCID"])
            for operands, operator in ContentStream(page.get_contents(), pack_pdf).operations
            if operator == b"BDC" and isinstance(operands[1], DictionaryObject) and "/MCID" in operands[1]
        ]
        assert used, f"page {page_id} has no tagged content"
        parents = entries[page["/StructParents"]]
        for mcid in used:
            # Found from the tree (reading order) and from the page (the
            # parent tree, which a reader uses to go from content to tag).
            assert (page_id, mcid) in holders, f"MCID {mcid} of page {page_id} is in no element"
            assert parents[mcid].idnum == holders[page_id, mcid]


def test_the_coo_reports_headings_and_table_headers_are_kept(pack_pdf):
    report = parts(pack_pdf)["Paper B: Chief Operating Officer report"]
    roles = [element.role for element in report.walk()]
    assert roles.count("/H1") == 1
    assert roles.count("/H2") >= 10
    assert roles.count("/TH") >= 20 and "/Table" in roles
    # Data cells name their header cells by /ID: the IDs are unique across
    # the pack (the other papers' tables were made the same way) and found.
    ids = [str(e.attributes["/ID"]) for e in tree(pack_pdf).walk() if "/ID" in e.attributes]
    assert len(ids) == len(set(ids))
    id_tree = pack_pdf.trailer["/Root"]["/StructTreeRoot"]["/IDTree"]["/Names"]
    by_id = {str(id_tree[i]): id_tree[i + 1].idnum for i in range(0, len(id_tree), 2)}
    headers_in_report = {e.ref for e in report.walk() if e.role == "/TH"}
    cells = [e for e in report.walk() if e.role == "/TD" and "/Headers" in e.attributes.get("/A", {})]
    assert cells
    for cell in cells:
        for header in cell.attributes["/A"]["/Headers"]:
            assert by_id[str(header)] in headers_in_report


def test_the_page_labels_are_artifacts_and_the_papers_text_is_tagged(pack_pdf):
    for number, page in enumerate(pack_pdf.pages, start=1):
        pieces = marked_text(page)
        labels = [stack for text, stack in pieces if f"page {number} of {len(pack_pdf.pages)}" in text]
        assert labels == [[("/Artifact", None)]], f"page {number}: {pieces}"
        for text, stack in pieces:
            assert any(mcid is not None for _, mcid in stack) or ("/Artifact", None) in stack, text


def test_an_untagged_upload_is_described_page_by_page(pack_pdf):
    minutes = parts(pack_pdf)["Paper A: Minutes of the January meeting"]
    assert [(e.role, str(e.attributes.get("/Alt"))) for e in minutes.kids] == [
        ("/Figure", "Paper A, page 1 of 2: 'Minutes of the January meeting', an uploaded PDF without tags"),
        ("/Figure", "Paper A, page 2 of 2: 'Minutes of the January meeting', an uploaded PDF without tags"),
        ("/Link", "None"),  # the link on page 2 (its description is the annotation's)
    ]
    # Cover and agenda fill pages 1 and 2; the minutes are pages 3 and 4.
    figures = minutes.kids[:2]
    for figure, page, text in zip(figures, pack_pdf.pages[2:4], ("Minutes", "Matters arising"), strict=True):
        assert figure.page == page.indirect_reference.idnum
        assert figure.mcids == [(figure.page, 0)]
        assert (text, [("/Figure", 0)]) in marked_text(page)


def test_a_tagged_upload_keeps_its_own_tags(pack_pdf):
    estates = parts(pack_pdf)["Paper D: Estates strategy"]
    assert [e.role for e in estates.kids] == ["/H1", "/P"]
    assert "/Link" in [e.role for e in estates.walk()]
    assert all(e.role != "/Figure" for e in estates.walk())


def test_every_link_is_tagged_and_described(pack_pdf):
    entries = parent_tree(pack_pdf)
    links = 0
    for page in pack_pdf.pages:
        for reference in page.get("/Annots", []):
            annotation = reference.get_object()
            if annotation["/Subtype"] != "/Link":
                continue
            links += 1
            # From the link to its element, and from the element back to it.
            element = entries[annotation["/StructParent"]]
            assert element["/S"] == "/Link"
            objects = [kid.raw_get("/Obj") for kid in element["/K"] if isinstance(kid, DictionaryObject)]
            assert [obj.idnum for obj in objects] == [reference.idnum]
            assert element["/Pg"].indirect_reference == page.indirect_reference
        assert page["/Tabs"] == "/S"
    assert links == 2  # the minutes' (untagged) and the estates strategy's (tagged)
    minutes_link = parts(pack_pdf)["Paper A: Minutes of the January meeting"].kids[2]
    annotation = pack_pdf.pages[3]["/Annots"][0].get_object()
    assert annotation["/Contents"] == "Link to https://example.org/minutes"
    assert minutes_link.page == pack_pdf.pages[3].indirect_reference.idnum


def test_the_tagged_pack_keeps_its_outline_numbers_and_references(pack_data, pack_pdf):
    total = len(pack_pdf.pages)
    assert total == BoardPack.objects.get().page_count
    text = pdf_text(pack_data)
    assert f"A-1 · page 3 of {total}" in text and f"A-2 · page 4 of {total}" in text
    assert "B-2 ·" in text and "E-1 ·" in text
    assert "Clinical workforce recruitment" in text and "Three sites by 2021." in text
    titles = outline_titles(pack_data)
    assert titles[0] == "Cover and agenda" and all(title in titles for title in PAPERS)
    assert "Contracts held for practices" in titles


def _damaged(data: bytes, damage) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    damage(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _null_tree(writer) -> None:
    from pypdf.generic import NameObject, NullObject

    writer._root_object[NameObject("/StructTreeRoot")] = NullObject()


def _looping_parent_tree(writer) -> None:
    from pypdf.generic import NameObject

    tree = writer._root_object["/StructTreeRoot"].get_object()
    parent_tree = tree["/ParentTree"]
    if not isinstance(parent_tree, IndirectObject):
        parent_tree = writer._add_object(parent_tree)
        tree[NameObject("/ParentTree")] = parent_tree
    parent_tree.get_object()[NameObject("/Kids")] = ArrayObject([parent_tree])


@pytest.mark.parametrize(
    "damage", [_null_tree, _looping_parent_tree], ids=["null tree", "looping parent tree"]
)
def test_a_paper_with_a_damaged_tree_still_goes_in_described(damage):
    from pypdf import PdfWriter

    from reports.pdf_structure import PackStructure

    # given a tagged paper whose structure tree is damaged
    paper = _damaged(tagged_pdf("Business case", "The case for a new service."), damage)

    # when it is put into a pack
    writer = PdfWriter()
    structure = PackStructure(writer, lang="en-GB")
    structure.append(
        BytesIO(paper),
        heading="Paper A: Business case",
        name="Paper A",
        title="Business case",
        import_outline=False,
    )
    structure.finish(title="Pack", author="ELR GP Federation")
    out = BytesIO()
    writer.write(out)

    # then the pack is written, with the paper's text and a tree of its own
    pack = PdfReader(BytesIO(out.getvalue()))
    assert "The case for a new service." in pack.pages[0].extract_text()
    assert "/StructTreeRoot" in pack.root_object
