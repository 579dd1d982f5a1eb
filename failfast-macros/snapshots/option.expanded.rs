fn all_found(keys: &[u32], table: &Table) -> Option<()> {
    {
        let () = {
            let __failfast_outcome = ::failfast::__private::thread_loop(
                keys,
                ::failfast::__private::default_workers(),
                |key| {
                    if ::failfast::__private::always() {
                        table.get(key)?;
                    }
                    ::failfast::__private::Flow::success()
                },
            );
            if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::__private::Fallible::exit(
                __failfast_outcome,
            ) {
                return __failfast_outcome;
            }
        };
    }
    Some(())
}
