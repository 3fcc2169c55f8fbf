from site_builder.core.sequences import replaced


def test_the_positions_of_other_objects_are_found_and_equal_objects_count_as_others() -> None:
    a, b, c = object(), object(), object()
    equal_but_other = [1000, 2000]
    assert replaced([a, b, c], [a, b, c]) == []
    assert replaced([a, c, b], [a, b, c]) == [1, 2]
    assert replaced([list(equal_but_other)], [equal_but_other]) == [0]


def test_lists_of_other_lengths_are_not_compared() -> None:
    a = object()
    assert replaced([a], [a, a]) is None
    assert replaced([], []) == []
