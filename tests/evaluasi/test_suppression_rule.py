"""The small-cell rule on its own: counts 1–2 hidden, and a second cell when one hidden cell could be worked
out from the total."""

from evaluasi.statistics import Figure, suppress


def cells(*values):
    return [Figure(f"c{i}", f"c{i}", value, link={"status": f"c{i}"}) for i, value in enumerate(values)]


def hidden(figures):
    return [figure.suppressed for figure in figures]


def test_without_a_minimum_nothing_is_hidden():
    assert hidden(suppress(cells(1, 2, 5), 0)) == [False, False, False]


def test_small_cells_are_hidden_and_lose_their_link():
    result = suppress(cells(1, 2, 5, 0), 3)
    assert hidden(result) == [True, True, False, False]
    assert result[0].link is None and result[2].link == {"status": "c2"}


def test_one_hidden_cell_takes_the_next_smallest_with_it():
    # Total 10 = 2 + 3 + 5 + 0: hiding only the 2 would let anyone compute it as 10 - 3 - 5 - 0. With the zero
    # hidden too, the two hidden cells are (2, 0), (1, 1) or (0, 2).
    assert hidden(suppress(cells(2, 3, 5, 0), 3)) == [True, False, False, True]
    # Without a zero, the next smallest count goes.
    assert hidden(suppress(cells(2, 4, 3), 3)) == [True, False, True]


def test_zeros_do_not_give_a_lone_hidden_cell_away():
    # Total 2 = 2 + 0 + 0: showing both zeros would say where the two reports are.
    assert hidden(suppress(cells(0, 2, 0), 3)) == [True, True, False]


def test_one_cell_alone_is_hidden_and_nothing_else_exists_to_hide():
    assert hidden(suppress(cells(2), 3)) == [True]


def test_without_complementary_hiding_only_small_cells_go():
    assert hidden(suppress(cells(2, 3, 5), 3, complementary=False)) == [True, False, False]


def test_a_share_is_hidden_when_its_denominator_is_small():
    share = [Figure("clock", "clock", 0, denominator=2)]
    assert hidden(suppress(share, 3)) == [True]
    assert suppress(share, 3)[0].percent is None
